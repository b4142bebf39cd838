/** Why the outbox could not be opened or configured. Writes never throw: see EventOutbox. */
export class OutboxError extends Error {
  override readonly name = "OutboxError";

  constructor(
    readonly code: "open-failed" | "not-durable" | "config-invalid",
    message: string,
  ) {
    super(message);
  }
}

/** The SQLite result code of a failed statement ("SQLITE_FULL", "SQLITE_IOERR_WRITE", …). */
export function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "UNKNOWN";
}
