import type { Logger } from "pino";
import type { CommittedEvents } from "../ports/eventSink.js";
import type { CentreOccupancy, DoorState, GatewayState } from "../ports/liveState.js";
import { EventBus } from "./eventBus.js";

/**
 * Every event of the cloud's bus, with its payload. Who emits and who listens is in
 * features/cloudFeatures.ts (the feature list) and docs/architecture.md "Event bus".
 */
export interface CloudEvents {
  /** Gateway events durably stored by the ingest (after commit; `inserted` of them were new). */
  "events.committed": CommittedEvents;
  /**
   * Events another cloud instance committed (cluster/clusterRelay.ts): for what this instance
   * shows live (boards, access log streams), never for sessions, time series or acks.
   */
  "events.committedElsewhere": CommittedEvents;
  /**
   * Who may open which door changed at these centres (committed): bundles and caches follow.
   * `elsewhere`: changed through another instance, which compiles the bundles; caches follow.
   */
  "accessRules.changed": { readonly centreIds: readonly string[]; readonly elsewhere?: boolean };
  /** A token revoked, a user disabled, a staff role changed (committed): cached logins are stale. */
  "principals.changed": { readonly at: number; readonly elsewhere?: boolean };
  /** Gateways disabled or given a new secret (committed): their open connections must close. */
  "gatewayCredentials.revoked": {
    readonly gatewayIds: readonly string[];
    readonly elsewhere?: boolean;
  };
  /** A centre's live head count changed (from a gateway's occupancy sample). */
  "occupancy.changed": CentreOccupancy;
  /** A gateway went online or offline, or its retained status changed. */
  "gateway.statusChanged": GatewayState;
  /** A door's lock, contact or alarm changed (door events and gateway statuses). */
  "door.changed": DoorState;
  /** An alarm was raised, cleared or acknowledged (committed; features/alarmsFeature.ts). */
  "alarm.changed": { readonly centreId: string; readonly alarmId: string };
}

export type CloudEventName = keyof CloudEvents;

/** The cloud process's one bus. */
export class CloudEventBus extends EventBus<CloudEvents> {}

export function cloudEventBus(logger: Logger): CloudEventBus {
  return new CloudEventBus(logger);
}
