import type { GatewayBusEvents, GatewayEventName } from "../core/busEvents.js";
import type { FeatureDeps } from "./gatewayPorts.js";

/**
 * One feature of the gateway: started in the feature list's order, stopped in reverse. A
 * feature subscribes to the bus when it is created (every feature is created before the first
 * one starts); `start` and `stop` do the rest.
 */
export interface GatewayFeature {
  start(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/** What a feature is created with: the shared deps, and a way to listen on the bus. */
export interface FeatureContext extends FeatureDeps {
  /**
   * Subscribes this feature to a bus event; call it when the feature is created, not in
   * `start`. Only events the feature list says it listens to are accepted (anything else
   * throws), and every listener is removed when the gateway stops.
   */
  on<K extends GatewayEventName>(event: K, listener: (payload: GatewayBusEvents[K]) => void): void;
}

/** A line of the feature list. */
export interface FeatureDefinition {
  readonly name: string;
  readonly listensTo: readonly GatewayEventName[];
  create(context: FeatureContext): GatewayFeature;
}
