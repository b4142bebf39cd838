import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { EmbeddedBroker, type EmbeddedBrokerConfig } from "./broker/embeddedBroker.js";
import { type ExternalBrokerConfig, ExternalBrokerLink } from "./broker/externalBroker.js";
import type { MqttBus } from "./broker/mqttBus.js";
import { BundlePublisher, type BundlePublisherConfig } from "./bundles/bundlePublisher.js";
import { CommandPublisher, type GatewayCommandSender } from "./bundles/commandPublisher.js";
import type { CloudSigningKey } from "./bundles/signingKeyFile.js";
import { type CloudEventBus, cloudEventBus } from "./bus/cloudEvents.js";
import type { Feature } from "./bus/feature.js";
import { GatewayIngest, type GatewayIngestConfig } from "./ingest/gatewayIngest.js";
import { DoorStateBoard } from "./occupancy/doorStateBoard.js";
import { GatewayStatusBoard } from "./occupancy/gatewayStatusBoard.js";
import { LiveOccupancy } from "./occupancy/liveOccupancy.js";
import type { AccessRulesSource, BundleVersionStore } from "./ports/accessRules.js";
import type { EventSink, GatewayRegistry } from "./ports/eventSink.js";
import type { GatewayCredentialVerifier } from "./ports/gatewayCredentials.js";

/**
 * Where the gateways connect (docs/cloud-mqtt.md "Broker modes"): the embedded aedes on one
 * machine, or a shared external broker (Mosquitto) when the cloud runs as several instances.
 */
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
  /** The process's event bus; a private one when left out (a CloudMqtt on its own, in tests). */
  bus?: CloudEventBus;
  baseTopic?: string;
  ingest?: Omit<GatewayIngestConfig, "baseTopic">;
  bundles?: Omit<BundlePublisherConfig, "baseTopic">;
  /** One instance at a time per centre's compilation (the store's locks, docs/scale.md). */
  exclusive?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}

/**
 * The cloud's whole MQTT side as one feature of cloud/src/features/cloudFeatures.ts: the broker
 * (or the link to one), the ingest, live occupancy, gateway and door states, and the bundle
 * publisher. Start order: broker, ingest (so bundle requests are heard), then bundles; stop in
 * reverse, so events already received are committed and acked before the broker goes.
 *
 * On the event bus it emits events.committed, occupancy.changed, gateway.statusChanged and
 * door.changed, and listens to accessRules.changed (bundle publisher), gatewayCredentials.revoked
 * (embedded broker), events.committed and gateway.statusChanged (door state board).
 */
export class CloudMqtt implements Feature {
  readonly name = "mqtt";
  readonly occupancy = new LiveOccupancy();
  readonly gatewayStatus = new GatewayStatusBoard();
  /** Door lock, contact and alarm, from statuses and committed door events. */
  readonly doors = new DoorStateBoard();
  readonly bus: CloudEventBus;
  private embedded: EmbeddedBroker | undefined;
  private external: ExternalBrokerLink | undefined;
  private ingestFeature: GatewayIngest | undefined;
  private publisher: BundlePublisher | undefined;
  private commandPublisher: CommandPublisher | undefined;

  constructor(private readonly deps: CloudMqttDeps) {
    this.bus = deps.bus ?? cloudEventBus(deps.logger);
    // The boards stay plain EventEmitters (tests use them alone); the bus hears every change.
    this.occupancy.on("change", (centre) => this.bus.emit("occupancy.changed", centre));
    this.gatewayStatus.on("change", (state) => this.bus.emit("gateway.statusChanged", state));
    this.doors.on("change", (door) => this.bus.emit("door.changed", door));
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

  /** Signed commands to gateways (remote unlock). */
  get commands(): GatewayCommandSender {
    if (!this.commandPublisher) throw new Error("CloudMqtt is not started");
    return this.commandPublisher;
  }

  /** For /healthz: "ok", or what this instance is missing on the MQTT side. */
  brokerHealth(): "ok" | string {
    if (this.embedded) return "ok";
    if (!this.external) return "not started";
    return this.external.isOnline() ? "ok" : "no connection to the external broker";
  }

  /** The embedded broker's port (0 in external mode). */
  get brokerPort(): number {
    return this.embedded?.port ?? 0;
  }

  /**
   * gatewayCredentials.revoked: the embedded broker closes the gateways' open connections. An
   * external broker is not told by the cloud: its operator removes or replaces the password
   * entry and sends SIGHUP, and Mosquitto then re-checks every connected client
   * (deploy/mosquitto/README.md).
   */
  private closeRevokedConnections(gatewayIds: readonly string[]): void {
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

  private listen(): void {
    const { bus } = this;
    // After commit, like every consumer of events: the board never shows what was not stored.
    bus.on("events.committed", this, (batch) => this.doors.recordEvents(batch));
    bus.on("events.committedElsewhere", this, (batch) => this.doors.recordEvents(batch));
    bus.on("gateway.statusChanged", this, (state) => this.doors.recordStatus(state));
    // A change made through another instance: that instance compiles and publishes.
    bus.on("accessRules.changed", this, ({ centreIds, elsewhere }) => {
      if (!elsewhere) this.publisher?.onAccessRulesChanged(centreIds);
    });
    bus.on("gatewayCredentials.revoked", this, ({ gatewayIds, elsewhere }) => {
      if (!elsewhere) this.closeRevokedConnections(gatewayIds);
    });
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
      ...(deps.exclusive ? { exclusive: deps.exclusive } : {}),
    });
    this.commandPublisher = new CommandPublisher({
      bus,
      signingKey: deps.signingKey,
      logger: deps.logger,
      ...(baseTopic === undefined ? {} : { baseTopic }),
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
    this.ingestFeature.on("committed", (batch) => this.bus.emit("events.committed", batch));
    this.listen();
    await this.ingestFeature.start();
    this.publisher.start();
  }

  async stop(): Promise<void> {
    this.bus.removeListeners(this);
    await this.publisher?.stop();
    await this.ingestFeature?.stop();
    await this.external?.stop();
    await this.embedded?.stop();
    this.publisher = undefined;
    this.commandPublisher = undefined;
    this.ingestFeature = undefined;
    this.external = undefined;
    this.embedded = undefined;
  }
}
