import { parseSunUrl, type SunVerifier } from "@passerelle/protocol";
import { type Badge, issueBadge } from "./badges.js";
import { conflict, invalid } from "./domainError.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";

/**
 * Enrols an NTAG 424 DNA card from one SUN URL read at the manager's desk (pasted from a phone
 * or the desk reader): the cloud verifies it with the network's verification set (the card's
 * own diversified MAC key), then issues the badge with kind "ntag424-sun", the UID the message
 * carried (hashed at once) and its read counter, so that this very message never opens a door.
 * A URL that does not verify is refused without saying more (a forged or foreign card).
 */
export async function enrolSecureCard(
  deps: ServiceDeps,
  verifier: SunVerifier | null,
  actor: Actor,
  input: { memberId: string; sunUrl: string; label?: string },
): Promise<Badge> {
  if (verifier === null) {
    throw conflict("this cloud holds no SUN keys (PASSERELLE_SUN_KEYS_FILE)", "sunUrl");
  }
  const message = parseSunUrl(input.sunUrl);
  if (message === null) {
    throw invalid("sunUrl", "not a SUN URL: it needs e= (32 hex digits) and c= (16 hex digits)");
  }
  const result = verifier.verify(message);
  if (!result.ok) {
    throw invalid("sunUrl", "the SUN does not verify: not a card of this network, or altered");
  }
  return issueBadge(deps, actor, {
    memberId: input.memberId,
    uid: result.uid.toString("hex"),
    ...(input.label === undefined ? {} : { label: input.label }),
    credentialKind: "ntag424-sun",
    readCounter: result.readCounter,
  });
}
