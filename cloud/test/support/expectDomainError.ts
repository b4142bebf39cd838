import { expect } from "vitest";
import { DomainError, type DomainErrorCode } from "../../src/domain/domainError.js";

/** Awaits a rejection and checks it is a DomainError with this code (and field, if given). */
export async function expectDomainError(
  promise: Promise<unknown> | (() => unknown),
  code: DomainErrorCode,
  field?: string,
): Promise<DomainError> {
  let error: unknown;
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (caught) {
    error = caught;
  }
  expect(error, "expected a DomainError").toBeInstanceOf(DomainError);
  const domainError = error as DomainError;
  expect(domainError.code).toBe(code);
  if (field !== undefined) expect(domainError.field).toBe(field);
  return domainError;
}
