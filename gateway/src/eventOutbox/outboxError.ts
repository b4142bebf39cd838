import { CodedError } from "@passerelle/protocol";

export type OutboxErrorCode = "open-failed" | "not-durable" | "config-invalid";

/** Why the outbox could not be opened or configured. Writes never throw: see EventOutbox. */
export class OutboxError extends CodedError<OutboxErrorCode> {
  override readonly name = "OutboxError";
}

/** The SQLite result code of a failed statement ("SQLITE_FULL", "SQLITE_IOERR_WRITE", …). */
export function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "UNKNOWN";
}
