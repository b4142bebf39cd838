import { describe, expect, it } from "vitest";
import { type Command, openCommand, ProtocolError, signCommand, uuidv7 } from "../src/index.js";
import { makeSigner, t0 } from "./fixtures.js";

const signer = makeSigner();
const seen = new Set<string>();
const options = {
  trustedKeys: signer.trustedKeys,
  gatewayId: "redu-1",
  now: t0,
  alreadySeen: (id: string) => seen.has(id),
};

function command(overrides: Partial<Command> = {}): Command {
  return {
    type: "command",
    id: uuidv7(t0),
    gateway: "redu-1",
    action: "unlock",
    door: "door-main",
    durationMs: 5000,
    issuedAt: new Date(t0 - 1000).toISOString(),
    expiresAt: new Date(t0 + 60_000).toISOString(),
    ...overrides,
  };
}

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
  return "accepted";
}

describe("signed commands", () => {
  it("opens a fresh command for this gateway once, then refuses the replay", () => {
    const c = command();
    const frame = signCommand(c, signer.privateKey);
    expect(openCommand(frame, options)).toEqual(c);
    seen.add(c.id);
    expect(refusal(() => openCommand(frame, options))).toBe("command.replayed");
  });

  it("refuses an expired, too long-lived or future command", () => {
    const past = command({ expiresAt: new Date(t0 - 1).toISOString() });
    expect(refusal(() => openCommand(signCommand(past, signer.privateKey), options))).toBe(
      "command.expired",
    );
    const forever = command({ expiresAt: new Date(t0 + 3_600_000).toISOString() });
    expect(refusal(() => openCommand(signCommand(forever, signer.privateKey), options))).toBe(
      "command.expired",
    );
    const future = command({
      issuedAt: new Date(t0 + 120_000).toISOString(),
      expiresAt: new Date(t0 + 180_000).toISOString(),
    });
    expect(refusal(() => openCommand(signCommand(future, signer.privateKey), options))).toBe(
      "command.expired",
    );
  });

  it("refuses a command for another gateway or with a bad signature", () => {
    expect(
      refusal(() =>
        openCommand(signCommand(command({ gateway: "arlon-1" }), signer.privateKey), options),
      ),
    ).toBe("command.wrong-gateway");
    const frame = signCommand(command(), signer.privateKey);
    frame[frame.length - 3] = (frame[frame.length - 3] ?? 0) ^ 1;
    expect(refusal(() => openCommand(frame, options))).toBe("signature.invalid");
    expect(
      refusal(() => openCommand(signCommand(command(), makeSigner().privateKey), options)),
    ).toBe("signature.unknown-key");
  });
});
