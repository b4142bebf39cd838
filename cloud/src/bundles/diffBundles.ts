import {
  type BundleCredential,
  canonicalJson,
  type DeltaBundle,
  type FullBundle,
  limits,
} from "@passerelle/protocol";

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/**
 * Whether two compilations grant exactly the same access (header fields aside). When they do,
 * a rule change touched nothing this centre's doors care about, and no new version is issued.
 */
export function sameAccessRules(prev: FullBundle, next: FullBundle): boolean {
  return (
    prev.centre === next.centre &&
    prev.credentialSalt === next.credentialSalt &&
    same(prev.rules, next.rules) &&
    same(prev.doors, next.doors) &&
    same(prev.credentials, next.credentials)
  );
}

/**
 * The delta from `prev` to `next` (protocol DeltaBundle): changed or new credentials upserted,
 * vanished ones removed, rules and doors only when they changed. Unchanged access still gives a
 * delta, carrying the new valid-until (a refresh).
 *
 * Null when a delta cannot carry the change and the full bundle must: another centre, versions
 * that are not consecutive (a delta moves exactly one version), a new credential salt (every hash
 * changes and a delta has no salt), or more changes than a delta may hold.
 */
export function diffBundles(prev: FullBundle, next: FullBundle): DeltaBundle | null {
  if (
    prev.centre !== next.centre ||
    next.version !== prev.version + 1 ||
    prev.credentialSalt !== next.credentialSalt
  ) {
    return null;
  }
  const before = new Map<string, string>(prev.credentials.map((c) => [c.hash, canonicalJson(c)]));
  const upsert: BundleCredential[] = [];
  for (const credential of next.credentials) {
    const old = before.get(credential.hash);
    if (old === undefined || old !== canonicalJson(credential)) upsert.push(credential);
    before.delete(credential.hash);
  }
  const remove = [...before.keys()].sort();
  if (upsert.length > limits.changesPerDelta || remove.length > limits.changesPerDelta) return null;
  return {
    type: "bundle.delta",
    centre: next.centre,
    version: next.version,
    issuedAt: next.issuedAt,
    validUntil: next.validUntil,
    fromVersion: prev.version,
    ...(same(prev.rules, next.rules) ? {} : { rules: next.rules }),
    ...(same(prev.doors, next.doors) ? {} : { doors: next.doors }),
    upsert,
    remove,
  };
}
