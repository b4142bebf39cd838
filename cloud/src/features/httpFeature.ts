import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Feature } from "../bus/feature.js";
import { buildHttpApp } from "../http/app.js";
import type { CloudApi, CloudServices } from "../http/cloudServices.js";
import type { Store } from "../store/openStore.js";

export interface HttpFeatureConfig {
  readonly version: string;
  readonly host: string;
  readonly port: number;
  readonly trustProxy?: boolean | string;
  /** PASSERELLE_METRICS_TOKEN; without one /metrics is not served. */
  readonly metricsToken?: string;
  /** Request errors are logged on a child of it (`cloud:http`), with their request id. */
  readonly logger: Logger;
  /** More /healthz checks beside the store's (broker link, cluster listener). */
  readonly health?: Record<string, () => Promise<"ok" | string>>;
}

/**
 * The HTTP API (docs/api.md) and the web console. Listens to nothing itself; its SSE streams
 * subscribe to the bus per connection (http/routes/occupancy/).
 */
export class HttpFeature implements Feature {
  readonly name = "http";
  private app: FastifyInstance | undefined;
  /** The port listened on (the configured one, or the one the system chose for port 0). */
  port = 0;

  constructor(
    private readonly config: HttpFeatureConfig,
    private readonly api: CloudApi,
    private readonly services: CloudServices,
    private readonly store: Store,
    private readonly registry: Registry,
  ) {}

  async start(): Promise<void> {
    const { config, store } = this;
    const app = await buildHttpApp({
      version: config.version,
      registry: this.registry,
      logger: config.logger.child({ module: "cloud:http" }),
      metricsToken: config.metricsToken ?? null,
      authenticate: this.api.authenticate(this.services),
      health: {
        store: async () => {
          await store.db.selectFrom("settings").select("key").limit(1).execute();
          return "ok";
        },
        ...config.health,
      },
      routes: this.api.routes(this.services),
      ...(config.trustProxy === undefined ? {} : { trustProxy: config.trustProxy }),
    });
    this.app = app;
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    this.port = typeof address === "object" && address !== null ? address.port : config.port;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }
}
