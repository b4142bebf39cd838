import type { KeyObject } from "node:crypto";
import { canonicalJson } from "./canonicalJson.js";
import {
  checkCredentialColumns,
  encodeDeltaBundle,
  encodeFullBundle,
  expandDeltaBundle,
  expandFullBundle,
} from "./compactBundle.js";
import { ProtocolError } from "./errors.js";
import { limits } from "./limits.js";
import type { BundleCredential, DeltaBundle, FullBundle } from "./schemas/bundle.js";
import {
  type CompactDeltaBundle,
  type CompactFullBundle,
  credentialHashLength,
} from "./schemas/compactBundle.js";
import { signDocument, verifyDocument } from "./signedDocument.js";
import type { TrustedKeys } from "./signingKeys.js";
import { decodeWith, type Validator, validators } from "./validation.js";

/** Checks, encodes to the wire's columns, serialises canonically and signs a full bundle (cloud side). */
export function signFullBundle(bundle: FullBundle, privateKey: KeyObject): Buffer {
  assertValid(validators.fullBundle, bundle);
  const compact = encodeFullBundle(bundle);
  assertValid(validators.compactFullBundle, compact);
  return signDocument("bundle.full", canonicalJson(compact), privateKey);
}

/** Checks, encodes, serialises canonically and signs a delta (cloud side). */
export function signDeltaBundle(delta: DeltaBundle, privateKey: KeyObject): Buffer {
  assertValid(validators.deltaBundle, delta);
  if (delta.version !== delta.fromVersion + 1) {
    throw new ProtocolError("bundle.delta-gap", "a delta moves exactly one version forward");
  }
  const compact = encodeDeltaBundle(delta);
  assertValid(validators.compactDeltaBundle, compact);
  return signDocument("bundle.delta", canonicalJson(compact), privateKey);
}

function assertValid<T>(validator: Validator<T>, value: T): void {
  if (!validator.check(value)) {
    throw new ProtocolError(
      "payload.schema",
      "bundle does not match its schema",
      validator.errors(value),
    );
  }
}

export interface OpenBundleOptions {
  trustedKeys: TrustedKeys;
  /** The version the receiver holds now, or null when it holds none. */
  heldVersion: number | null;
  /** The receiver's centre: a bundle for another centre is refused. */
  centre?: string;
  now: number;
}

/**
 * Receiver side, in the wire's compact form (what a gateway indexes): verify the signature
 * first, then the schema and the agreement of the credential columns, then that the bundle is
 * for this centre, newer than what is held (or, for a delta, starts exactly at it) and not
 * expired.
 */
export function openCompactBundle(
  frame: Uint8Array,
  options: OpenBundleOptions,
): CompactFullBundle | CompactDeltaBundle {
  const bundle = decodeBody(frame, options.trustedKeys);
  if (options.centre !== undefined && bundle.centre !== options.centre) {
    throw new ProtocolError(
      "bundle.wrong-centre",
      `bundle for centre ${bundle.centre}, not ${options.centre}`,
    );
  }
  if (bundle.type === "bundle.delta") {
    if (bundle.fromVersion !== options.heldVersion || bundle.version !== bundle.fromVersion + 1) {
      throw new ProtocolError(
        "bundle.delta-gap",
        `delta ${bundle.fromVersion}→${bundle.version} does not start at held version ${options.heldVersion}`,
      );
    }
  } else if (options.heldVersion !== null && bundle.version <= options.heldVersion) {
    throw new ProtocolError(
      "bundle.not-newer",
      `bundle version ${bundle.version} is not newer than ${options.heldVersion}`,
    );
  }
  if (Date.parse(bundle.validUntil) <= options.now) {
    throw new ProtocolError(
      "bundle.expired",
      `bundle version ${bundle.version} expired at ${bundle.validUntil}`,
    );
  }
  return bundle;
}

/** Like `openCompactBundle`, with one object per credential (tests, tools, the cloud). */
export function openBundle(
  frame: Uint8Array,
  options: OpenBundleOptions,
): FullBundle | DeltaBundle {
  const bundle = openCompactBundle(frame, options);
  return bundle.type === "bundle.full" ? expandFullBundle(bundle) : expandDeltaBundle(bundle);
}

/** The authentic body, parsed and checked: a signed but malformed bundle is refused here. */
function decodeBody(
  frame: Uint8Array,
  trustedKeys: TrustedKeys,
): CompactFullBundle | CompactDeltaBundle {
  const document = verifyDocument(frame, trustedKeys, limits.bundleBytes);
  if (document.type === "bundle.full") {
    const bundle = decodeWith(
      validators.compactFullBundle,
      document.body,
      "full bundle",
      limits.bundleBytes,
    );
    assertColumnsAgree(checkCredentialColumns(bundle.credentials, "/credentials"));
    return bundle;
  }
  if (document.type === "bundle.delta") {
    const delta = decodeWith(
      validators.compactDeltaBundle,
      document.body,
      "bundle delta",
      limits.bundleBytes,
    );
    const problems = checkCredentialColumns(delta.upsert, "/upsert");
    if (delta.remove.length % credentialHashLength !== 0) {
      problems.push(`/remove: length is not a multiple of ${credentialHashLength}`);
    }
    assertColumnsAgree(problems);
    return delta;
  }
  throw new ProtocolError("signature.malformed", `a ${document.type} is not a bundle`);
}

function assertColumnsAgree(problems: string[]): void {
  if (problems.length > 0) {
    throw new ProtocolError("payload.schema", "bundle credentials do not agree", problems);
  }
}
/** The full bundle a delta leads to (pure; the input is not modified). */
export function applyDelta(full: FullBundle, delta: DeltaBundle): FullBundle {
  if (delta.centre !== full.centre || delta.fromVersion !== full.version) {
    throw new ProtocolError(
      "bundle.delta-gap",
      `delta from ${delta.fromVersion} cannot apply to version ${full.version}`,
    );
  }
  const byHash = new Map<string, BundleCredential>(full.credentials.map((c) => [c.hash, c]));
  for (const hash of delta.remove) byHash.delete(hash);
  for (const credential of delta.upsert) byHash.set(credential.hash, credential);
  if (byHash.size > limits.credentialsPerBundle) {
    throw new ProtocolError(
      "payload.too-large",
      "delta would exceed the credentials limit of a bundle",
    );
  }
  return {
    ...full,
    version: delta.version,
    issuedAt: delta.issuedAt,
    validUntil: delta.validUntil,
    rules: delta.rules ?? full.rules,
    doors: delta.doors ?? full.doors,
    credentials: [...byHash.values()],
  };
}
