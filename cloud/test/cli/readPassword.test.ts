import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cliIo.js";
import { readPassword } from "../../src/cli/readPassword.js";

/** A terminal: stdin is a TTY whose raw mode the prompt switches on and off. */
function terminal(env: NodeJS.ProcessEnv = {}) {
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    rawModes: [] as boolean[],
    setRawMode(raw: boolean) {
      stdin.rawModes.push(raw);
      return stdin;
    },
  });
  const io: CliIo = { out: () => {}, err: () => {}, env, stdin };
  return { io, stdin };
}

describe("readPassword on a terminal", () => {
  it("asks twice in raw mode, and keeps what was typed ahead for the second question", async () => {
    const { io, stdin } = terminal();
    const answer = readPassword(io, "Password: ");
    // Both lines in one read, with a typo corrected by backspace.
    stdin.write("secret-passX\u007fword\rsecret-password\r");
    await expect(answer).resolves.toBe("secret-password");
    expect(stdin.rawModes).toEqual([true, false]);
  });

  it("refuses two different passwords, and stops on Ctrl-C", async () => {
    const differ = terminal();
    const mismatch = readPassword(differ.io, "Password: ");
    differ.stdin.write("first-password\rsecond-password\r");
    await expect(mismatch).rejects.toThrow("the two passwords differ");
    const cancel = terminal();
    const cancelled = readPassword(cancel.io, "Password: ");
    cancel.stdin.write("half\u0003");
    await expect(cancelled).rejects.toThrow("cancelled");
    expect(cancel.stdin.rawModes).toEqual([true, false]);
  });

  it("takes PASSERELLE_PASSWORD without asking", async () => {
    const { io, stdin } = terminal({ PASSERELLE_PASSWORD: "from-the-environment" });
    await expect(readPassword(io, "Password: ")).resolves.toBe("from-the-environment");
    expect(stdin.rawModes).toEqual([]);
  });
});
