import { CodedError } from "@passerelle/protocol";

/**
 * The one error of the domain and reservation services, with a stable code the HTTP layer maps
 * to a status (invalid → 400, not-found → 404, conflict → 409, forbidden → 403) and the field
 * it concerns, so a problem+json body can name it.
 */
export type DomainErrorCode = "invalid" | "not-found" | "conflict" | "forbidden";

export class DomainError extends CodedError<DomainErrorCode> {
  override readonly name = "DomainError";

  constructor(
    code: DomainErrorCode,
    message: string,
    /** The input field at fault (e.g. "end", "openingHours[2].close"), when there is one. */
    readonly field?: string,
    /** Structured detail safe to show the caller (e.g. the refused occurrences of a series). */
    readonly detail?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message);
  }
}

export const invalid = (field: string, message: string) =>
  new DomainError("invalid", message, field);

export const notFound = (what: string, id: string, field?: string) =>
  new DomainError("not-found", `${what} ${JSON.stringify(id)} does not exist`, field);

export const conflict = (message: string, field?: string, detail?: Record<string, unknown>) =>
  new DomainError("conflict", message, field, detail);
