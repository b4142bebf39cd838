import { type Static, Type } from "@sinclair/typebox";
import { limits } from "../limits.js";
import { CentreRules, Door, PassRule } from "./bundle.js";
import { Count, Id, PinHash, UtcTime, Version } from "./common.js";

/*
 * The wire form of a bundle: what is signed and sent. The credentials travel as columns — one
 * array per field, one element per credential — with the door lists and the pass lists that
 * many credentials share written once in tables and referred to by position. A gateway parses
 * a bundle of 100 000 credentials into a dozen arrays instead of a million small objects, and
 * indexes it straight from them (docs/performance.md). `expandFullBundle` (compactBundle.ts)
 * gives back the one-object-per-credential form of schemas/bundle.ts.
 */

/** Characters of one credential hash (16 bytes in base64url). */
export const credentialHashLength = 22;

/** Bits of a credential's `flags` column. */
export const credentialFlags = {
  revoked: 1,
  /** Opens at any hour, also when the centre is closed. */
  staff: 2,
  /** Opens even past valid-until or with an untrusted clock. */
  offlineStaff: 4,
  /** An NTAG 424 DNA card that opens only with a verified SUN message. */
  secureCard: 8,
} as const;

/** Third number of each window triple in the `windows` column. */
export const windowKinds = { pass: 0, booking: 1 } as const;

/** Credential hashes, 22 characters each, written one after the other with no separator. */
export function credentialHashList(maxHashes: number) {
  return Type.String({
    pattern: "^[A-Za-z0-9_-]*$",
    maxLength: credentialHashLength * maxHashes,
    description: "credential hashes (22 base64url characters each) concatenated",
  });
}

/** A credential hash as the key of a sparse column. */
const CredentialHashKey = Type.String({ pattern: "^[A-Za-z0-9_-]{22}$" });

const listIndex = (maxItems: number, description: string) =>
  Type.Array(Type.Integer({ minimum: 0, maximum: limits.credentialsPerBundle - 1 }), {
    maxItems,
    description,
  });

/**
 * Credentials as columns. Every per-credential column has one element per hash, in the order of
 * `hashes`; lengths and references are checked by `checkCredentialColumns` (compactBundle.ts).
 */
export function credentialColumns(maxCredentials: number) {
  return Type.Object(
    {
      hashes: credentialHashList(maxCredentials),
      members: Type.String({
        pattern: "^[A-Za-z0-9._:,-]*$",
        maxLength: (limits.idLength + 1) * maxCredentials,
        description: "member ids, comma-separated (an id has no comma), in credential order",
      }),
      flags: Type.Array(Type.Integer({ minimum: 0, maximum: 15 }), {
        maxItems: maxCredentials,
        description: "bits: 1 revoked, 2 staff, 4 offline staff, 8 secure card (SUN required)",
      }),
      doorListIndex: listIndex(maxCredentials, "position of the credential's doors in doorLists"),
      passListIndex: listIndex(maxCredentials, "position of the credential's passes in passLists"),
      windowCounts: Type.Array(Type.Integer({ minimum: 0, maximum: limits.windowsPerCredential }), {
        maxItems: maxCredentials,
        description: "how many triples of `windows` belong to each credential, in order",
      }),
      windows: Type.Array(Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 }), {
        maxItems: 3 * limits.windowsPerBundle,
        description:
          "triples [from, to, kind]: epoch milliseconds (UTC), kind 1 for a booking with its grace, 0 for a pass day",
      }),
      doorLists: Type.Array(Type.Array(Id, { maxItems: limits.doorsPerBundle }), {
        maxItems: maxCredentials,
        description: "distinct door lists (door ids, not positions: a delta may change the doors)",
      }),
      passLists: Type.Array(Type.Array(PassRule, { maxItems: limits.passesPerCredential }), {
        maxItems: maxCredentials,
        description: "distinct pass-rule lists",
      }),
      /** Sparse: only the SUN cards the network has seen read (most credentials have none). */
      readCounters: Type.Optional(
        Type.Record(CredentialHashKey, Count, {
          description: "highest SUN read counter seen by the network, by credential hash",
        }),
      ),
      /** Sparse: only the cards that have a PIN for card + PIN doors. */
      pinHashes: Type.Optional(
        Type.Record(CredentialHashKey, PinHash, {
          description: "PIN hash (pinHash.ts) by credential hash",
        }),
      ),
    },
    { additionalProperties: false },
  );
}

export const CredentialColumns = credentialColumns(limits.credentialsPerBundle);

const bundleHeader = {
  centre: Id,
  version: Version,
  issuedAt: UtcTime,
  validUntil: UtcTime,
};

export const CompactFullBundle = Type.Object(
  {
    type: Type.Literal("bundle.full"),
    ...bundleHeader,
    /** Salt of the keyed credential hash (credentialHash.ts), base64url. */
    credentialSalt: Type.String({ pattern: "^[A-Za-z0-9_-]{22,86}$" }),
    rules: CentreRules,
    doors: Type.Array(Door, { maxItems: limits.doorsPerBundle }),
    credentials: CredentialColumns,
  },
  { additionalProperties: false },
);

export const CompactDeltaBundle = Type.Object(
  {
    type: Type.Literal("bundle.delta"),
    ...bundleHeader,
    /** The version this delta applies to; `version` must be `fromVersion + 1`. */
    fromVersion: Version,
    rules: Type.Optional(CentreRules),
    doors: Type.Optional(Type.Array(Door, { maxItems: limits.doorsPerBundle })),
    /** New or changed credentials, whole, with their own door and pass tables. */
    upsert: credentialColumns(limits.changesPerDelta),
    remove: credentialHashList(limits.changesPerDelta),
  },
  { additionalProperties: false },
);

export type CredentialColumns = Static<typeof CredentialColumns>;
export type CompactFullBundle = Static<typeof CompactFullBundle>;
export type CompactDeltaBundle = Static<typeof CompactDeltaBundle>;
