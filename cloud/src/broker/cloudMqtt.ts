import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { BundlePublisher, type BundlePublisherConfig } from "../bundles/bundlePublisher.js";
import type { AccessRulesSource, BundleVersionStore } from "../bundles/ports.js";
import type { CloudSigningKey } from "../bundles/signingKeyFile.js";
import { GatewayIngest, type GatewayIngestConfig } from "../ingest/gatewayIngest.js";
import type { EventSink, GatewayRegistry } from "../ingest/ports.js";
import { DoorStateBoard } from "../occupancy/doorStateBoard.js";
import { GatewayStatusBoard } from "../occupancy/gatewayStatusBoard.js";
import { LiveOccupancy } from "../occupancy/liveOccupancy.js";
import { EmbeddedBroker, type EmbeddedBrokerConfig } from "./embeddedBroker.js";
import { type ExternalBrokerConfig, ExternalBrokerLink } from "./externalBroker.js";
import type { MqttBus } from "./mqttBus.js";
import type { GatewayCredentialVerifier } from "./ports.js";

/** DESIGN.md "Scale path": the embedded aedes on one machine, or a shared external broker. */
export type BrokerMode =
  | { readonly kind: "embedded"; readonly config: EmbeddedBrokerConfig }
  | { readonly kind: "external"; readonly config: ExternalBrokerConfig };

export interface CloudMqttDeps {
  broker: BrokerMode;
  /** Store adapters (the store's gateways, events, access rules and bundle versions). */
  credentials: GatewayCredentialVerifier;
  gateways: GatewayRegistry;
  events: EventSink;
  accessRules: AccessRulesSource;
  bundleVersions: BundleVersionStore;
  signingKey: Pick<CloudSigningKey, "privateKey">;
  logger: Logger;
  metrics: Registry;
  clock?: { now(): number };
  baseTopic?: string;
  ingest?: Omit<GatewayIngestConfig, "baseTopic">;
  bundles?: Omit<BundlePublisherConfig, "baseTopic">;
}

/**
 * The cloud's whole MQTT side as one feature for cloud/src/server.ts: the broker (or the link to
 * one), the ingest, live occupancy and gateway states, and the bundle publisher. Start order:
 * broker, ingest (so bundle requests are heard), then bundles; stop in reverse, so events already
 * received are committed and acked before the broker goes.
 */
export class CloudMqtt {
  readonly occupancy = new LiveOccupancy();
  readonly gatewayStatus = new GatewayStatusBoard();
  /** Door lock, contact and alarm, from statuses and committed door events. */
  readonly doors = new DoorStateBoard();
  private embedded: EmbeddedBroker | undefined;
  private external: ExternalBrokerLink | undefined;
  private ingestFeature: GatewayIngest | undefined;
  private publisher: BundlePublisher | undefined;

  constructor(private readonly deps: CloudMqttDeps) {
    this.gatewayStatus.on("change", (state) => this.doors.recordStatus(state));
  }

  /** The ingest, for consumers of committed events (presence sessions, audit). */
  get ingest(): GatewayIngest {
    if (!this.ingestFeature) throw new Error("CloudMqtt is not started");
    return this.ingestFeature;
  }

  get bundles(): BundlePublisher {
    if (!this.publisher) throw new Error("CloudMqtt is not started");
    return this.publisher;
  }

  /** The embedded broker's port (0 in external mode). */
  get brokerPort(): number {
    return this.embedded?.port ?? 0;
  }

  /** DomainHooks.onAccessRulesChanged. */
  onAccessRulesChanged(centreIds: readonly string[]): void {
    this.publisher?.onAccessRulesChanged(centreIds);
  }

  /**
   * DomainHooks.onGatewayCredentialsRevoked: the embedded broker closes the gateways' open
   * connections. An external broker is not told by the cloud: its operator removes or replaces
   * the password entry and sends SIGHUP, and Mosquitto then re-checks every connected client
   * (deploy/mosquitto/README.md).
   */
  onGatewayCredentialsRevoked(gatewayIds: readonly string[]): void {
    if (this.embedded) {
      for (const gatewayId of gatewayIds) this.embedded.disconnectGateway(gatewayId);
    } else if (this.external) {
      this.deps.logger
        .child({ module: "cloud:broker" })
        .warn(
          { gatewayIds },
          "gateway credentials revoked: update the external broker's password file and reload it",
        );
    }
  }

  async start(): Promise<void> {
    const { deps } = this;
    const baseTopic =
      deps.baseTopic ??
      (deps.broker.kind === "embedded" ? deps.broker.config.baseTopic : undefined);
    let bus: MqttBus;
    if (deps.broker.kind === "embedded") {
      this.embedded = new EmbeddedBroker({
        verifier: deps.credentials,
        logger: deps.logger,
        registry: deps.metrics,
        config: {
          ...deps.broker.config,
          baseTopic: deps.baseTopic ?? deps.broker.config.baseTopic,
        },
      });
      await this.embedded.start();
      bus = this.embedded.bus;
    } else {
      this.external = new ExternalBrokerLink({ logger: deps.logger, config: deps.broker.config });
      await this.external.start();
      bus = this.external.bus;
    }
    this.publisher = new BundlePublisher({
      bus,
      source: deps.accessRules,
      versions: deps.bundleVersions,
      signingKey: deps.signingKey,
      logger: deps.logger,
      metrics: deps.metrics,
      clock: deps.clock,
      config: { ...deps.bundles, baseTopic },
    });
    this.ingestFeature = new GatewayIngest({
      bus,
      registry: deps.gateways,
      sink: deps.events,
      occupancy: this.occupancy,
      gateways: this.gatewayStatus,
      bundleRequests: this.publisher,
      logger: deps.logger,
      metrics: deps.metrics,
      clock: deps.clock,
      config: { ...deps.ingest, baseTopic },
    });
    // After commit, like every consumer of events: the board never shows what was not stored.
    this.ingestFeature.on("committed", (batch) => this.doors.recordEvents(batch));
    await this.ingestFeature.start();
    this.publisher.start();
  }

  async stop(): Promise<void> {
    await this.publisher?.stop();
    await this.ingestFeature?.stop();
    await this.external?.stop();
    await this.embedded?.stop();
    this.publisher = undefined;
    this.ingestFeature = undefined;
    this.external = undefined;
    this.embedded = undefined;
  }
}
