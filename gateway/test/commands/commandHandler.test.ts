import { createPrivateKey } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type Command,
  generateSigningKeyPair,
  signCommand,
  trustedKeysFromPem,
  uuidv7,
} from "@passerelle/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { CommandHandler } from "../../src/commands/commandHandler.js";
import { silentLogger } from "../../src/core/logger.js";

const pair = generateSigningKeyPair();
const key = createPrivateKey(pair.privateKeyPem);
const trustedKeys = trustedKeysFromPem([pair.publicKeyPem]);
const t0 = Date.parse("2026-03-03T09:00:00Z");

function command(overrides: Partial<Command> = {}): Command {
  return {
    type: "command",
    id: uuidv7(t0),
    gateway: "redu-1",
    action: "unlock",
    door: "main",
    durationMs: 5000,
    issuedBy: "user:manager",
    issuedAt: new Date(t0 - 1000).toISOString(),
    expiresAt: new Date(t0 + 60_000).toISOString(),
    ...overrides,
  };
}

describe("command handler", () => {
  let seenFile: string;
  let unlocks: (string | undefined)[];
  let resyncs: number;
  let rejected: string[];
  let now: number;

  const handler = () =>
    new CommandHandler({
      gatewayId: "redu-1",
      trustedKeys,
      now: () => now,
      logger: silentLogger,
      seenFile,
      unlock: (door) => unlocks.push(door),
      resync: () => {
        resyncs += 1;
      },
      onRejected: (code) => rejected.push(code),
    });

  beforeEach(() => {
    seenFile = join(mkdtempSync(join(tmpdir(), "gw-commands-")), "commands-seen.json");
    unlocks = [];
    resyncs = 0;
    rejected = [];
    now = t0;
  });

  it("executes a signed unlock once and refuses its replay, also after a restart", () => {
    const frame = signCommand(command(), key);
    handler().receive(frame);
    expect(unlocks).toEqual(["main"]);
    const restarted = handler();
    restarted.receive(frame);
    expect(unlocks).toEqual(["main"]);
    expect(rejected).toEqual(["command.replayed"]);
  });

  it("executes a resync", () => {
    handler().receive(signCommand(command({ action: "resync", door: undefined }), key));
    expect(resyncs).toBe(1);
  });

  it("refuses an expired, foreign or forged command and keeps running", () => {
    const h = handler();
    h.receive(signCommand(command({ expiresAt: new Date(t0 - 1).toISOString() }), key));
    h.receive(signCommand(command({ gateway: "arlon-1" }), key));
    h.receive(signCommand(command(), createPrivateKey(generateSigningKeyPair().privateKeyPem)));
    h.receive(Buffer.from("garbage"));
    expect(rejected).toEqual([
      "command.expired",
      "command.wrong-gateway",
      "signature.unknown-key",
      "signature.malformed",
    ]);
    expect(unlocks).toEqual([]);
  });

  it("forgets executed ids once they expired", () => {
    const h = handler();
    const first = command();
    h.receive(signCommand(first, key));
    now = t0 + 61_000;
    h.receive(
      signCommand(
        command({
          issuedAt: new Date(now).toISOString(),
          expiresAt: new Date(now + 60_000).toISOString(),
        }),
        key,
      ),
    );
    expect(unlocks).toHaveLength(2);
  });
});
