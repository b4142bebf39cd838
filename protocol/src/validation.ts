import type { Static, TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { ProtocolError } from "./errors.js";
import { limits } from "./limits.js";
import { DeltaBundle, FullBundle } from "./schemas/bundle.js";
import { Command } from "./schemas/command.js";
import { CompactDeltaBundle, CompactFullBundle } from "./schemas/compactBundle.js";
import { EventBatch } from "./schemas/events.js";
import { Ack, BundleRequest, GatewayStatus, OccupancySample } from "./schemas/gatewayMessages.js";

/** A compiled validator: check a parsed value, and list what is wrong with it. */
export interface Validator<T> {
  check(value: unknown): value is T;
  /** Up to `max` readable errors, each "path: message". */
  errors(value: unknown, max?: number): string[];
}

export function compileValidator<S extends TSchema>(schema: S): Validator<Static<S>> {
  const compiled = TypeCompiler.Compile(schema);
  return {
    check: (value): value is Static<S> => compiled.Check(value),
    errors(value, max = 10) {
      const found: string[] = [];
      for (const error of compiled.Errors(value)) {
        found.push(`${error.path || "/"}: ${error.message}`);
        if (found.length >= max) break;
      }
      return found;
    },
  };
}

/** One compiled validator per payload of the contract, made once at import. */
export const validators = {
  status: compileValidator(GatewayStatus),
  events: compileValidator(EventBatch),
  occupancy: compileValidator(OccupancySample),
  bundleRequest: compileValidator(BundleRequest),
  ack: compileValidator(Ack),
  /** The one-object-per-credential form the cloud compiles (schemas/bundle.ts). */
  fullBundle: compileValidator(FullBundle),
  deltaBundle: compileValidator(DeltaBundle),
  /** The wire form (schemas/compactBundle.ts): what is signed, sent and checked on receipt. */
  compactFullBundle: compileValidator(CompactFullBundle),
  compactDeltaBundle: compileValidator(CompactDeltaBundle),
  command: compileValidator(Command),
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Bytes to a parsed JSON value: refuses oversized payloads before reading them, non-UTF-8
 * (RFC 8259 §8.1 requires UTF-8), and text that is not JSON.
 */
export function parseJsonBytes(bytes: Uint8Array, maxBytes: number = limits.messageBytes): unknown {
  if (bytes.byteLength > maxBytes) {
    throw new ProtocolError(
      "payload.too-large",
      `payload of ${bytes.byteLength} bytes exceeds ${maxBytes}`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ProtocolError("payload.not-utf8", "payload is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError("payload.not-json", "payload is not JSON");
  }
}

/** Parse and validate in one step; the error lists the offending fields. */
export function decodeWith<T>(
  validator: Validator<T>,
  bytes: Uint8Array,
  what: string,
  maxBytes?: number,
): T {
  const value = parseJsonBytes(bytes, maxBytes);
  if (!validator.check(value)) {
    throw new ProtocolError(
      "payload.schema",
      `${what} does not match its schema`,
      validator.errors(value),
    );
  }
  return value;
}

export interface GatewayPayloads {
  status: Static<typeof GatewayStatus>;
  events: Static<typeof EventBatch>;
  occupancy: Static<typeof OccupancySample>;
  bundleRequest: Static<typeof BundleRequest>;
  ack: Static<typeof Ack>;
}

/** Decodes one of the plain (unsigned) JSON messages of the contract. */
export function decodeMessage<K extends keyof GatewayPayloads>(
  kind: K,
  bytes: Uint8Array,
): GatewayPayloads[K] {
  return decodeWith(validators[kind] as Validator<GatewayPayloads[K]>, bytes, kind);
}

/** Encodes a plain message after checking it, so no part can publish what others would refuse. */
export function encodeMessage<K extends keyof GatewayPayloads>(
  kind: K,
  payload: GatewayPayloads[K],
): Buffer {
  const validator = validators[kind] as Validator<GatewayPayloads[K]>;
  if (!validator.check(payload)) {
    throw new ProtocolError(
      "payload.schema",
      `${kind} does not match its schema`,
      validator.errors(payload),
    );
  }
  return Buffer.from(JSON.stringify(payload), "utf8");
}
