import { credentialHash, type DenyReason, type SunVerifier } from "@passerelle/protocol";
import type { BadgePresentation } from "../hardware/ports.js";
import type { ReadCounterTable } from "./readCounterTable.js";
import { proveCard } from "./sunCredential.js";

/**
 * The credential a presentation stands for, before the access decision: its hash (the raw UID
 * goes no further) and how it proved itself, or the refusal of a SUN card that failed (wrong
 * MAC, replayed counter, unreadable file). A fresh SUN counter is recorded even when the door
 * then says no: the card did read, and that message must never open anything later.
 */
export type CheckedCredential =
  | { readonly ok: true; readonly hash: string; readonly proof: "uid" }
  | {
      readonly ok: true;
      readonly hash: string;
      readonly proof: "sun";
      /** The fresh counter, reported with the event so the cloud learns it. */
      readonly readCounter: number;
    }
  | { readonly ok: false; readonly hash: string; readonly reason: DenyReason };

export interface SecureCardContext {
  /** Null on a gateway without SUN keys: every card is a bare UID. */
  readonly verifier: SunVerifier | null;
  readonly counters: ReadCounterTable;
}

/** What the bundle in force says about cards: its salt, and the network's counter floors. */
export interface BundleCardFacts {
  readonly credentialSalt: string;
  readonly readCounterFloors: ReadonlyMap<string, number>;
}

export function checkCredential(
  presentation: BadgePresentation,
  bundle: BundleCardFacts,
  secure: SecureCardContext | undefined,
): CheckedCredential {
  const hash = credentialHash(presentation.uid, bundle.credentialSalt);
  if (secure === undefined) return { ok: true, hash, proof: "uid" };
  const proof = proveCard(presentation, secure.verifier);
  if (proof.kind === "uid") return { ok: true, hash, proof: "uid" };
  if (proof.kind === "refused") return { ok: false, hash, reason: proof.reason };
  const floor = bundle.readCounterFloors.get(hash);
  if (!secure.counters.accept(hash, proof.readCounter, floor).fresh) {
    return { ok: false, hash, reason: "credential.replayed" };
  }
  return { ok: true, hash, proof: "sun", readCounter: proof.readCounter };
}
