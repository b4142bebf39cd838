/**
 * Driver errors, recognised by their stable codes rather than their messages:
 * better-sqlite3 raises SqliteError with `code` = the extended result code name
 * (https://www.sqlite.org/rescode.html); pg raises errors with `code` = SQLSTATE
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html).
 */
function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const { code } = error as { code: unknown };
  return typeof code === "string" ? code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  const code = codeOf(error);
  return (
    code === "23505" ||
    code === "SQLITE_CONSTRAINT_UNIQUE" ||
    code === "SQLITE_CONSTRAINT_PRIMARYKEY"
  );
}

export function isForeignKeyViolation(error: unknown): boolean {
  const code = codeOf(error);
  return code === "23503" || code === "SQLITE_CONSTRAINT_FOREIGNKEY";
}

/**
 * Worth running the whole transaction again: PostgreSQL serialization_failure (40001) and
 * deadlock_detected (40P01); SQLite busy or locked once busy_timeout has run out.
 */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = codeOf(error);
  return (
    code === "40001" ||
    code === "40P01" ||
    code === "SQLITE_BUSY" ||
    code === "SQLITE_BUSY_SNAPSHOT" ||
    code === "SQLITE_LOCKED"
  );
}
