import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/cliIo.js";
import { serveConfig } from "../../src/cli/serveOptions.js";

describe("serve options for account e-mail", () => {
  const base = { "data-dir": "/tmp/x" };

  it("reads the relay, the sender and the public URL from the environment", () => {
    const config = serveConfig(base, {
      PASSERELLE_SMTP_URL: "smtp://user:secret@mail.example.coop:587",
      PASSERELLE_MAIL_FROM: "Passerelle <no-reply@example.coop>",
      PASSERELLE_PUBLIC_URL: "https://console.example.coop",
    });
    expect(config.smtp).toEqual({
      url: "smtp://user:secret@mail.example.coop:587",
      from: "Passerelle <no-reply@example.coop>",
    });
    expect(config.publicUrl).toBe("https://console.example.coop");
  });

  it("runs without a relay (links shown to the inviter only)", () => {
    const config = serveConfig(base, {});
    expect(config.smtp).toBeUndefined();
    expect(config.publicUrl).toBeUndefined();
  });

  it("refuses a relay without a public URL and sender, naming both at once", () => {
    let error: unknown;
    try {
      serveConfig({ ...base, "smtp-url": "http://wrong" }, {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toContain("--smtp-url: an smtp:// or smtps:// URL is needed");
    expect(message).toContain("--public-url (or PASSERELLE_PUBLIC_URL) is required");
    expect(message).toContain("--mail-from (or PASSERELLE_MAIL_FROM) is required");
  });
});
