import { type Static, Type } from "@sinclair/typebox";
import { limits } from "../limits.js";
import { gatewayIdPattern } from "../topics.js";

/** A UTC instant in ISO 8601 with a `Z` suffix: the protocol never carries local times. */
export const UtcTime = Type.String({
  pattern:
    "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,3})?Z$",
  maxLength: 24,
  description: "UTC instant, ISO 8601 with Z",
  examples: ["2026-11-23T08:59:30.120Z"],
});

/** Identifiers of centres, doors, members and zones chosen by the cloud. */
export const Id = Type.String({
  pattern: "^[A-Za-z0-9][A-Za-z0-9._:-]*$",
  maxLength: limits.idLength,
  examples: ["redu", "door-main", "m-0193a1"],
});

export const GatewayId = Type.String({ pattern: gatewayIdPattern, maxLength: limits.idLength });

export const Text = Type.String({ maxLength: limits.textLength });

/** UUIDv7 (RFC 9562 §5.7), the id of every event. */
export const EventId = Type.String({
  pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
});

/** The keyed hash of a badge UID (see credentialHash.ts): 16 bytes in base64url. */
export const CredentialHash = Type.String({ pattern: "^[A-Za-z0-9_-]{22}$" });

/** The keyed hash of a card's PIN (pinHash.ts): 16 bytes in base64url. */
export const PinHash = Type.String({ pattern: "^[A-Za-z0-9_-]{22}$" });

export const Count = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
export const Version = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/** A local wall-clock time of day in the centre's time zone, "HH:MM" (24:00 closes at midnight). */
export const LocalTime = Type.String({ pattern: "^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$" });

export type UtcTime = Static<typeof UtcTime>;
