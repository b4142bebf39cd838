import type { KeyObject } from "node:crypto";
import { canonicalJson } from "./canonicalJson.js";
import { ProtocolError } from "./errors.js";
import { limits } from "./limits.js";
import type { Command } from "./schemas/command.js";
import { signDocument, verifyDocument } from "./signedDocument.js";
import type { TrustedKeys } from "./signingKeys.js";
import { decodeWith, validators } from "./validation.js";

/** A command may live at most this long, so a captured one is useless soon after. */
export const maxCommandLifetimeMs = 5 * 60_000;
/** Tolerated difference between the cloud's and the gateway's clocks for `issuedAt`. */
export const commandClockSkewMs = 30_000;

export function signCommand(command: Command, privateKey: KeyObject): Buffer {
  if (!validators.command.check(command)) {
    throw new ProtocolError(
      "payload.schema",
      "command does not match its schema",
      validators.command.errors(command),
    );
  }
  return signDocument("command", canonicalJson(command), privateKey);
}

export interface OpenCommandOptions {
  trustedKeys: TrustedKeys;
  gatewayId: string;
  now: number;
  /** True when this command id was already executed; the caller remembers ids until expiry. */
  alreadySeen(id: string): boolean;
}

/** Verifies a command's signature, target, lifetime and freshness; throws a ProtocolError. */
export function openCommand(frame: Uint8Array, options: OpenCommandOptions): Command {
  const document = verifyDocument(frame, options.trustedKeys, limits.messageBytes);
  if (document.type !== "command") {
    throw new ProtocolError("signature.malformed", `a ${document.type} is not a command`);
  }
  const command = decodeWith(validators.command, document.body, "command");
  if (command.gateway !== options.gatewayId) {
    throw new ProtocolError("command.wrong-gateway", `command for gateway ${command.gateway}`);
  }
  const issuedAt = Date.parse(command.issuedAt);
  const expiresAt = Date.parse(command.expiresAt);
  if (
    expiresAt <= options.now ||
    expiresAt - issuedAt > maxCommandLifetimeMs ||
    issuedAt > options.now + commandClockSkewMs
  ) {
    throw new ProtocolError("command.expired", `command ${command.id} is outside its validity`);
  }
  if (options.alreadySeen(command.id)) {
    throw new ProtocolError("command.replayed", `command ${command.id} was already executed`);
  }
  return command;
}
