import { parseSunUrl, readNdefUri, type SunVerifier } from "@passerelle/protocol";
import type { BadgePresentation } from "../hardware/ports.js";

/**
 * What a presented card proves, before the access decision: a bare UID, a verified SUN message
 * (NTAG 424 DNA; MAC right, UID the one the reader saw), or a refusal with its reason code.
 * Pure: keys are given, and the replay rule is applied by the caller, which knows the
 * credential hash (badgeFlow.ts). Verification costs two AES blocks and three CMACs (bench/sun).
 */
export type CardProof =
  | { readonly kind: "uid" }
  | { readonly kind: "sun"; readonly readCounter: number }
  | {
      readonly kind: "refused";
      readonly reason: "credential.invalid-mac" | "credential.unreadable";
    };

export function proveCard(
  presentation: BadgePresentation,
  verifier: SunVerifier | null,
): CardProof {
  const ndef = presentation.ndefFile;
  if (ndef === undefined) return { kind: "uid" };
  if (!ndef.ok) return { kind: "refused", reason: "credential.unreadable" };
  const uri = readNdefUri(ndef.file);
  if (!uri.ok) {
    return uri.failure === "not-a-uri"
      ? { kind: "uid" }
      : { kind: "refused", reason: "credential.unreadable" };
  }
  const message = parseSunUrl(uri.uri);
  // An NDEF card without a SUN (a sticker, a phone) or a gateway without keys: a bare UID.
  if (message === null || verifier === null) return { kind: "uid" };
  const result = verifier.verify(message);
  if (!result.ok) return { kind: "refused", reason: "credential.invalid-mac" };
  // A SUN from another card relayed by a clone: the mirrored UID is not the one on the reader.
  if (!result.uid.equals(Buffer.from(presentation.uid))) {
    return { kind: "refused", reason: "credential.invalid-mac" };
  }
  return { kind: "sun", readCounter: result.readCounter };
}
