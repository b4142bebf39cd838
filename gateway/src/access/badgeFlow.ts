import { credentialHash, type GatewayEvent } from "@passerelle/protocol";
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
  const hash = index === null ? undefined : credentialHash(presentation.uid, index.credentialSalt);
  const result: AccessDecision =
    hash === undefined
      ? { decision: "denied", reason: "no-bundle" }
      : decide(
          { credentialHash: hash, doorId: deps.door.id, now, clockTrusted: deps.clockTrusted(now) },
          index,
        );
  if (result.decision === "granted") deps.unlock(deps.door.id);
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
  });
  return result;
}
