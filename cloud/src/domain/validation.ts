import { isGatewayId, limits } from "@passerelle/protocol";
import { invalid } from "./domainError.js";
import { normaliseLoginIdentifier } from "./loginIdentifier.js";

/**
 * Checks shared by the services. Each returns the normalised value or throws DomainError
 * "invalid" naming the field, so the API can repeat it in its problem body.
 */

/** Centre and gateway ids: lowercase slugs, safe in topics, file names and broker usernames. */
export function slugId(field: string, value: string): string {
  if (!isGatewayId(value)) {
    throw invalid(field, "must be a lowercase slug: a-z, 0-9 and '-', at most 63 characters");
  }
  return value;
}

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** Other ids (resources, doors): the protocol's Id shape, so they can travel in bundles. */
export function entityId(field: string, value: string): string {
  if (value.length > limits.idLength || !idPattern.test(value)) {
    throw invalid(field, `must match ${idPattern.source} and be at most ${limits.idLength} long`);
  }
  return value;
}

export function text(field: string, value: string, maxLength: number = limits.textLength): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw invalid(field, "must not be empty");
  if (trimmed.length > maxLength) throw invalid(field, `must be at most ${maxLength} characters`);
  return trimmed;
}

// Deliberately loose (RFC 5321 allows far more than any regex checks); the real check is the
// confirmation mail, which is outside this service.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function email(field: string, value: string): string {
  const normalised = normaliseLoginIdentifier(value);
  if (normalised.length > 254 || !emailPattern.test(normalised)) {
    throw invalid(field, "must be an e-mail address");
  }
  return normalised;
}

export function integer(field: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** A Date or epoch milliseconds, as epoch milliseconds; refuses NaN and absurd years. */
export function instant(field: string, value: Date | number): number {
  const ms = typeof value === "number" ? value : value.getTime();
  // 1970 … 9999: anything else is a client bug, and ISO strings stay four-digit years.
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > 253402300799999) {
    throw invalid(field, "must be a valid instant");
  }
  return ms;
}

export function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `must be one of ${allowed.join(", ")}`);
  }
  return value as T;
}

export const languages = ["fr", "nl", "de", "en"] as const;
export type Language = (typeof languages)[number];
