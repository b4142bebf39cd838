import { CodedError } from "./codedError.js";

/**
 * Every way a message or bundle can be refused, as a stable code. Gateway and cloud turn these
 * into a log line and a counter (never a crash); the HTTP API turns them into problem+json.
 */
export type ProtocolErrorCode =
  | "topic.invalid"
  | "topic.wildcard"
  | "topic.foreign-gateway"
  | "payload.too-large"
  | "payload.not-utf8"
  | "payload.not-json"
  | "payload.schema"
  | "signature.malformed"
  | "signature.unknown-key"
  | "signature.invalid"
  | "bundle.not-newer"
  | "bundle.expired"
  | "bundle.wrong-centre"
  | "bundle.delta-gap"
  | "command.expired"
  | "command.replayed"
  | "command.wrong-gateway";

export class ProtocolError extends CodedError<ProtocolErrorCode> {
  override readonly name = "ProtocolError";

  constructor(
    code: ProtocolErrorCode,
    message: string,
    /** Field-level detail, e.g. the schema errors; safe to log (never a raw badge UID). */
    readonly details: readonly string[] = [],
  ) {
    super(code, message);
  }
}
