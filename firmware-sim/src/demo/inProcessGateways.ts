import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDefaultParts, createLogger, GatewayApp, resolveConfig } from "@passerelle/gateway";
import { entranceHardwareConfig } from "../doors/simulatedEntrance.js";

export interface InProcessGateway {
  readonly centre: string;
  readonly gatewayId: string;
  readonly doorId: string;
  readonly secret: string;
  readonly publicKeyPem: string;
}

/**
 * Many gateways in this one process, for load work: each the real GatewayApp with its own MQTT
 * connection, SQLite outbox and bundle store, attached to its simulated entrance over the
 * device server. Hundreds fit where hundreds of Node processes would not (about 60 MB each).
 */
export class InProcessGateways {
  private readonly apps: GatewayApp[] = [];

  constructor(
    private readonly options: {
      directory: string;
      brokerUrl: string;
      deviceEndpoint: string;
      logLevel: string;
    },
  ) {}

  async start(gateway: InProcessGateway): Promise<void> {
    const directory = join(this.options.directory, gateway.gatewayId);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const keyFile = join(directory, "cloud-signing.pub.pem");
    writeFileSync(keyFile, gateway.publicKeyPem);
    const config = resolveConfig(
      {
        gatewayId: gateway.gatewayId,
        centre: gateway.centre,
        dataDir: join(directory, "data"),
        logLevel: this.options.logLevel,
        mqtt: {
          url: this.options.brokerUrl,
          password: gateway.secret,
          reconnectMinMs: 500,
          reconnectMaxMs: 10_000,
        },
        trustedKeyFiles: [keyFile],
        hardware: entranceHardwareConfig(
          gateway.centre,
          gateway.doorId,
          this.options.deviceEndpoint,
        ),
      },
      {},
    );
    const logger = createLogger(this.options.logLevel).child({ gateway: gateway.gatewayId });
    const app = new GatewayApp({
      config,
      logger,
      parts: (context) => createDefaultParts(config, logger, context),
    });
    await app.start();
    this.apps.push(app);
  }

  get count(): number {
    return this.apps.length;
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled(this.apps.map((app) => app.stop()));
    this.apps.length = 0;
  }
}
