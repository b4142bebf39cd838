import { describe, expect, it } from "vitest";
import { mosquittoConfig } from "../src/mosquittoConfig.js";

describe("mosquittoConfig", () => {
  it("listens on loopback only, without persistence, anonymous allowed by default", () => {
    const lines = mosquittoConfig({ port: 4242, bindAddress: "127.0.0.1" }).split("\n");
    expect(lines).toContain("listener 4242 127.0.0.1");
    expect(lines).toContain("persistence false");
    expect(lines).toContain("allow_anonymous true");
    expect(lines).not.toContain("user root");
  });

  it("refuses anonymous clients once a password file is given", () => {
    const text = mosquittoConfig({
      port: 1883,
      passwordFile: "/tmp/x/passwd",
      aclFile: "/tmp/x/acl",
      stayRoot: true,
      extraConfig: ["max_inflight_messages 5"],
    });
    expect(text).toContain(
      "allow_anonymous false\npassword_file /tmp/x/passwd\nacl_file /tmp/x/acl",
    );
    expect(text).toContain("user root");
    expect(text.trimEnd().endsWith("max_inflight_messages 5")).toBe(true);
  });

  it("rejects a path that would inject config lines", () => {
    expect(() => mosquittoConfig({ port: 1, aclFile: "/tmp/acl\nallow_anonymous true" })).toThrow(
      /bad path/,
    );
  });
});
