import type { GatewayConfig } from "./config/configSchema.js";
import { createGatewayBus } from "./core/busEvents.js";
import { gatewayVersion } from "./core/gatewayVersion.js";
import type { Logger } from "./core/logger.js";
import { createPorts } from "./createPorts.js";
import { gatewayFeatures } from "./features/featureList.js";
import { FeatureRunner } from "./features/featureRunner.js";
import type { GatewayParts, PartsContext } from "./features/gatewayPorts.js";

export { gatewayVersion };

export interface GatewayAppOptions {
  config: GatewayConfig;
  logger: Logger;
  /** Builds hardware, doors, outbox and occupancy; each part reports its events through `record`. */
  parts: (context: PartsContext) => Promise<GatewayParts>;
  now?: () => number;
}

/**
 * The gateway: one event bus, the services (ports) built once, and the features of
 * features/featureList.ts started in order and stopped in reverse. Badge to door runs through
 * the access and doors features in one synchronous bus delivery; events go to the outbox
 * (journal), then to the cloud (uplink over the cloud link); bundles, acks and commands come
 * back through one handler per message kind. See docs/gateway.md, "Features and the bus".
 */
export class GatewayApp {
  private readonly log: Logger;
  private readonly now: () => number;
  private runner: FeatureRunner | undefined;

  constructor(private readonly options: GatewayAppOptions) {
    this.log = options.logger.child({ module: "gateway:app" });
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    const { config, logger } = this.options;
    const bus = createGatewayBus(logger);
    const ports = await createPorts({
      config,
      logger,
      bus,
      now: this.now,
      parts: this.options.parts,
    });
    const runner = new FeatureRunner(gatewayFeatures, {
      bus,
      logger,
      config,
      now: this.now,
      ports,
    });
    this.runner = runner;
    await runner.start();
    this.log.info(
      { gateway: config.gatewayId, centre: config.centre, doors: ports.doors.map((d) => d.id) },
      "gateway started",
    );
  }

  async stop(): Promise<void> {
    await this.runner?.stop();
    this.runner = undefined;
    this.log.info("gateway stopped");
  }
}
