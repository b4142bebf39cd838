import type { DenyReason, GatewayEvent } from "@passerelle/protocol";
import { checkCredential, type SecureCardContext } from "../credentials/credentialCheck.js";
import type { AccessIndex } from "../decision/accessIndex.js";
import { type AccessDecision, decide } from "../decision/decide.js";
import type { BadgePresentation } from "../hardware/ports.js";

/** What the badge path needs, each read or call synchronous and free of I/O except `record`. */
export interface BadgeFlowDeps {
  centre: string;
  /** The door the reader stands at, and whether badging there means going in or out. */
  door: { id: string; direction: "in" | "out" };
  currentIndex(): AccessIndex | null;
  clockTrusted(now: number): boolean;
  now(): number;
  /** Pulses the lock: must command the relay before returning. */
  unlock(doorId: string): void;
  /** SUN verification keys and the read counters seen; absent: every card is a bare UID. */
  secureCards?: SecureCardContext;
  /** Appends the event to the durable outbox (after the relay was commanded). */
  record(event: Omit<GatewayEvent, "seq" | "id">): void;
}

/**
 * Badge to door (docs/gateway.md, "Badge to door"), never waiting on the network or the disk
 * before the relay: hash the UID with the bundle's salt (the raw UID goes no further), decide
 * from the index in force, pulse the lock, and only then record the event.
 */
export function handleBadge(deps: BadgeFlowDeps, presentation: BadgePresentation): AccessDecision {
  const now = deps.now();
  const index = deps.currentIndex();
  const checked =
    index === null ? undefined : checkCredential(presentation, index, deps.secureCards);
  const hash = checked?.hash;
  const result: AccessDecision =
    index === null || checked === undefined
      ? { decision: "denied", reason: "no-bundle" }
      : !checked.ok
        ? refusal(index, checked.hash, checked.reason)
        : decide(
            {
              credentialHash: checked.hash,
              doorId: deps.door.id,
              now,
              clockTrusted: deps.clockTrusted(now),
              proof: checked.proof,
              ...(presentation.pin === undefined ? {} : { pin: presentation.pin }),
            },
            index,
          );
  let latencyMs: number | undefined;
  if (result.decision === "granted") {
    deps.unlock(deps.door.id);
    // Card read to relay commanded; a wall clock stepped in between gives no figure.
    const elapsed = deps.now() - presentation.at;
    if (elapsed >= 0 && elapsed <= 60_000) latencyMs = elapsed;
  }
  deps.record({
    time: new Date(now).toISOString(),
    type: "access",
    centre: deps.centre,
    door: deps.door.id,
    direction: deps.door.direction,
    ...(hash === undefined ? {} : { credential: hash }),
    ...(result.member === undefined ? {} : { member: result.member }),
    decision: result.decision,
    reason: result.reason,
    ...(index === null ? {} : { bundleVersion: index.version }),
    // A fresh SUN counter travels even when the door said no: the message is spent everywhere.
    ...(checked?.ok === true && checked.proof === "sun"
      ? { readCounter: checked.readCounter }
      : {}),
    ...(latencyMs === undefined ? {} : { latencyMs }),
  });
  return result;
}

/** A card refused before the decision, with its member when the bundle knows the card. */
function refusal(index: AccessIndex, hash: string, reason: DenyReason): AccessDecision {
  const row = index.credentials.find(hash);
  return row < 0
    ? { decision: "denied", reason }
    : { decision: "denied", reason, member: index.credentials.member(row) };
}
