import type { BusOwner } from "../core/eventBus.js";
import type { FeatureContext, FeatureDefinition, GatewayFeature } from "./feature.js";
import type { FeatureDeps } from "./gatewayPorts.js";

interface Created {
  owner: BusOwner;
  feature: GatewayFeature;
}

/**
 * Creates every feature, then starts them in order; stops them in reverse.
 *
 * Two phases on purpose: a feature subscribes when it is created, so every listener is on the
 * bus before the first feature starts, and nothing a starting feature says is lost on one that
 * starts later (the bundle store's load says `bundle.applied` long before the status starts).
 * A feature that fails to start stops the ones already started and every listener is removed
 * before the error goes up, so a gateway that cannot start leaves no timer, socket or lock
 * behind.
 */
export class FeatureRunner {
  private created: Created[] = [];
  private started: Created[] = [];

  constructor(
    private readonly definitions: readonly FeatureDefinition[],
    private readonly deps: FeatureDeps,
  ) {}

  async start(): Promise<void> {
    try {
      for (const definition of this.definitions) {
        const owner: BusOwner = { name: definition.name };
        // Pushed before create: a feature that subscribes and then throws loses its listeners.
        const entry = { owner } as Created;
        this.created.push(entry);
        entry.feature = definition.create(this.contextFor(definition, owner));
      }
      for (const entry of this.created) {
        await entry.feature.start();
        this.started.push(entry);
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    const log = this.deps.logger.child({ module: "gateway:features" });
    for (const { owner, feature } of this.started.splice(0).reverse()) {
      try {
        await feature.stop?.();
      } catch (error) {
        log.warn({ feature: owner.name, err: (error as Error).message }, "feature stop failed");
      }
    }
    for (const { owner } of this.created.splice(0)) this.deps.bus.removeListeners(owner);
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
