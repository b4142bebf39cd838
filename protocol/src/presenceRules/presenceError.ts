import { CodedError } from "../codedError.js";

/** Every way presence input can be refused, as a stable code (logged and counted, never a crash). */
export type PresenceErrorCode =
  | "presence.invalid-time"
  | "presence.out-of-order"
  | "presence.unknown-centre"
  | "presence.invalid-time-zone"
  | "presence.invalid-duration"
  | "presence.invalid-option";

export class PresenceError extends CodedError<PresenceErrorCode> {
  override readonly name = "PresenceError";
}
