import { describe, expect, it } from "vitest";
import { influxConfig } from "../src/influxConfig.js";

describe("influxConfig", () => {
  it("keeps everything in the temp dir and on loopback", () => {
    const text = influxConfig({ dir: "/tmp/i", httpPort: 9001, rpcPort: 9002 });
    expect(text).toContain('bind-address = "127.0.0.1:9002"');
    expect(text).toContain('[http]\n  bind-address = "127.0.0.1:9001"');
    expect(text).toContain('wal-dir = "/tmp/i/wal"');
    expect(text).toContain("reporting-disabled = true");
  });
});
