import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface CaughtMail {
  readonly to: readonly string[];
  /** The raw message with quoted-printable soft breaks and escapes undone. */
  readonly text: string;
}

/** Undoes quoted-printable (nodemailer's choice for text with accents): soft breaks, =XX. */
function decodeQuotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i += 1) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === "=" && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i] as string, "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * A real SMTP server (the smtp-server package) on a random loopback port: the cloud's
 * nodemailer delivers to it as to any relay, and the test reads what arrived.
 */
export class TestMailbox {
  readonly mails: CaughtMail[] = [];
  readonly #server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        this.mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          text: decodeQuotedPrintable(Buffer.concat(chunks).toString("utf8")),
        });
        callback();
      });
    },
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(0, "127.0.0.1", () => resolve());
    });
    return (this.#server.server.address() as AddressInfo).port;
  }

  /** The first link to `path` in a mail to `to` that arrived after `after` mails, waiting for it. */
  async linkFor(to: string, path: string, after = 0, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const pattern = new RegExp(`https?://[^\\s]+${path}\\?token=[A-Za-z0-9_%-]+`);
    while (Date.now() < deadline) {
      for (const mail of this.mails.slice(after)) {
        const link = mail.to.includes(to) ? pattern.exec(mail.text)?.[0] : undefined;
        if (link) return link;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no mail to ${to} with a ${path} link within ${timeoutMs} ms`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
