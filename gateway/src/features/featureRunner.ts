import type { BusOwner } from "../core/eventBus.js";
import type { FeatureContext, FeatureDefinition, GatewayFeature } from "./feature.js";
import type { FeatureDeps } from "./gatewayPorts.js";

interface Running {
  owner: BusOwner;
  feature: GatewayFeature;
}

/**
 * Starts features in order and stops them in reverse. A feature that fails to start drops its
 * listeners and stops the ones already started before the error goes up, so a gateway
 * that cannot start leaves no timer, socket or lock behind.
 */
export class FeatureRunner {
  private running: Running[] = [];

  constructor(
    private readonly definitions: readonly FeatureDefinition[],
    private readonly deps: FeatureDeps,
  ) {}

  async start(): Promise<void> {
    for (const definition of this.definitions) {
      const owner: BusOwner = { name: definition.name };
      try {
        const feature = definition.create(this.contextFor(definition, owner));
        await feature.start();
        this.running.push({ owner, feature });
      } catch (error) {
        this.deps.bus.removeListeners(owner);
        await this.stop();
        throw error;
      }
    }
  }

  async stop(): Promise<void> {
    const log = this.deps.logger.child({ module: "gateway:features" });
    for (const { owner, feature } of this.running.splice(0).reverse()) {
      try {
        await feature.stop?.();
      } catch (error) {
        log.warn({ feature: owner.name, err: (error as Error).message }, "feature stop failed");
      }
      this.deps.bus.removeListeners(owner);
    }
  }

  private contextFor(definition: FeatureDefinition, owner: BusOwner): FeatureContext {
    const bus = this.deps.bus;
    return {
      ...this.deps,
      on(event, listener) {
        if (!definition.listensTo.includes(event)) {
          throw new Error(
            `feature ${definition.name} listens to ${event}, which the feature list does not say`,
          );
        }
        bus.on(event, owner, listener);
      },
    };
  }
}
