import { Type } from "@sinclair/typebox";

/**
 * An ISO 8601 instant WITH its zone offset ("2026-03-02T09:00:00+01:00" or "…Z"): a local time
 * without one means a different instant in every centre's zone, so the API refuses it (400
 * naming the field) rather than guess.
 */
export const ZonedInstant = Type.String({
  pattern:
    "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)$",
  maxLength: 40,
  description: "ISO 8601 instant with a zone offset (Z or ±HH:MM)",
  examples: ["2026-03-02T09:00:00+01:00", "2026-03-02T08:00:00Z"],
});

/** Epoch milliseconds of a string that passed ZonedInstant. */
export function instantOf(iso: string): number {
  return Date.parse(iso);
}

/** How instants leave the API: UTC with Z. */
export const UtcInstant = Type.String({ format: "date-time" });

export const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString());
