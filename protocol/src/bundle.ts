import type { KeyObject } from "node:crypto";
import { canonicalJson } from "./canonicalJson.js";
import { ProtocolError } from "./errors.js";
import { limits } from "./limits.js";
import type { BundleCredential, DeltaBundle, FullBundle } from "./schemas/bundle.js";
import { signDocument, verifyDocument } from "./signedDocument.js";
import type { TrustedKeys } from "./signingKeys.js";
import { decodeWith, validators } from "./validation.js";

/** Serialises canonically and signs a full bundle (cloud side). */
export function signFullBundle(bundle: FullBundle, privateKey: KeyObject): Buffer {
  assertValid(validators.fullBundle.check(bundle), () => validators.fullBundle.errors(bundle));
  return signDocument("bundle.full", canonicalJson(bundle), privateKey);
}

/** Serialises canonically and signs a delta (cloud side). */
export function signDeltaBundle(delta: DeltaBundle, privateKey: KeyObject): Buffer {
  assertValid(validators.deltaBundle.check(delta), () => validators.deltaBundle.errors(delta));
  if (delta.version !== delta.fromVersion + 1) {
    throw new ProtocolError("bundle.delta-gap", "a delta moves exactly one version forward");
  }
  return signDocument("bundle.delta", canonicalJson(delta), privateKey);
}

function assertValid(ok: boolean, errors: () => string[]): void {
  if (!ok) throw new ProtocolError("payload.schema", "bundle does not match its schema", errors());
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
 * Receiver side: verify the signature first, then the schema, then that the bundle is for this
 * centre, newer than what is held (or, for a delta, starts exactly at it) and not expired.
 */
export function openBundle(
  frame: Uint8Array,
  options: OpenBundleOptions,
): FullBundle | DeltaBundle {
  const document = verifyDocument(frame, options.trustedKeys, limits.bundleBytes);
  const bundle =
    document.type === "bundle.full"
      ? decodeWith(validators.fullBundle, document.body, "full bundle", limits.bundleBytes)
      : document.type === "bundle.delta"
        ? decodeWith(validators.deltaBundle, document.body, "bundle delta", limits.bundleBytes)
        : null;
  if (bundle === null) {
    throw new ProtocolError("signature.malformed", `a ${document.type} is not a bundle`);
  }
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
