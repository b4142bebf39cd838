export type StoreErrorCode = "busy" | "migration-failed" | "nested-transaction" | "config";

/** Failures of the store itself (not of a domain rule): the domain maps "busy" to a conflict. */
export class StoreError extends Error {
  override readonly name = "StoreError";

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
