import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Logger } from "pino";
import type { CloudEventBus } from "../bus/cloudEvents.js";
import type { Feature } from "../bus/feature.js";
import type { CommittedEvents } from "../ports/eventSink.js";
import { logLostConnections } from "../store/poolErrors.js";
import { type ClusterChange, decodeClusterMessage, encodeCommitted } from "./clusterMessages.js";

/** The PostgreSQL channel every cloud instance of one database listens to. */
export const clusterChannel = "passerelle_cluster";

export interface ClusterRelayDeps {
  readonly postgresUrl: string;
  readonly bus: CloudEventBus;
  readonly logger: Logger;
  /** Every centre id, to invalidate every cache after the listener was away. */
  readonly listCentres: () => Promise<readonly string[]>;
  /** How long to wait before listening again after the connection dropped (default 1 s). */
  readonly reconnectMs?: number;
}

/**
 * Keeps several cloud instances on one PostgreSQL in step (docs/scale.md "Across instances"):
 * what one instance commits that others hold in memory goes out as a NOTIFY on
 * `passerelle_cluster`, and each other instance re-emits it on its own bus, marked as from
 * elsewhere. Relayed: accessRules.changed (availability caches; the bundle is compiled by the
 * instance that made the change), principals.changed (login caches), gatewayCredentials.revoked,
 * and events.committed as events.committedElsewhere (the live boards and access logs served by
 * the other instances; sessions, time series and acks stay with the committing instance).
 *
 * NOTIFY is delivered only to sessions listening at commit time: after the listener was away,
 * every cache is invalidated as if everything had changed. A notification never blocks the work
 * that caused it: a failed one is logged, and the caches' own time limits bound the staleness.
 */
export class ClusterRelay implements Feature {
  readonly name = "clusterRelay";
  /** This process, to recognise (and skip) its own notifications. */
  readonly instanceId = randomBytes(6).toString("hex");
  private readonly log: Logger;
  private listener: pg.Client | undefined;
  private listening = false;
  /** Listened before: a new LISTEN follows a gap in which notifications were lost. */
  private everListened = false;
  private running = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private sender: pg.Pool | undefined;

  constructor(private readonly deps: ClusterRelayDeps) {
    this.log = deps.logger.child({ module: "cloud:cluster" });
  }

  /** For /healthz: whether changes made by other instances reach this one now. */
  isListening(): boolean {
    return this.listening;
  }

  async start(): Promise<void> {
    this.running = true;
    this.sender = new pg.Pool({ connectionString: this.deps.postgresUrl, max: 2 });
    logLostConnections(this.sender, this.log, "notify");
    const { bus } = this.deps;
    bus.on("accessRules.changed", this, (change) => {
      if (!change.elsewhere)
        this.send({ kind: "accessRules.changed", centreIds: change.centreIds });
    });
    bus.on("principals.changed", this, (change) => {
      if (!change.elsewhere) this.send({ kind: "principals.changed", at: change.at });
    });
    bus.on("gatewayCredentials.revoked", this, (change) => {
      if (!change.elsewhere) {
        this.send({ kind: "gatewayCredentials.revoked", gatewayIds: change.gatewayIds });
      }
    });
    bus.on("events.committed", this, (batch) => this.sendCommitted(batch));
    await this.listen();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.deps.bus.removeListeners(this);
    clearTimeout(this.retryTimer);
    this.listening = false;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.sender?.end().catch(() => undefined);
    this.sender = undefined;
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.deps.postgresUrl });
    const lost = (error?: Error) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.listening = false;
      this.log.warn({ err: error?.message }, "cluster listener lost; retrying");
      client.end().catch(() => undefined);
      this.retry();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    client.on("notification", (message) => {
      if (message.channel === clusterChannel && message.payload) this.receive(message.payload);
    });
    this.listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${clusterChannel}`);
    } catch (error) {
      lost(error as Error);
      return;
    }
    const wasAway = this.everListened;
    this.listening = true;
    this.everListened = true;
    if (wasAway) await this.invalidateEverything();
  }

  private retry(): void {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.listen(), this.deps.reconnectMs ?? 1000);
    this.retryTimer.unref();
  }

  /** After missed notifications: what other instances may have changed is treated as changed. */
  private async invalidateEverything(): Promise<void> {
    const { bus } = this.deps;
    bus.emit("principals.changed", { at: Date.now(), elsewhere: true });
    try {
      const centreIds = await this.deps.listCentres();
      if (centreIds.length > 0) bus.emit("accessRules.changed", { centreIds, elsewhere: true });
    } catch (error) {
      this.log.warn({ err: error }, "cannot list centres to invalidate the caches");
    }
  }

  private sendCommitted(batch: CommittedEvents): void {
    if (batch.inserted === 0) return;
    for (const payload of encodeCommitted(batch, this.instanceId)) this.notify(payload);
  }

  private send(message: ClusterChange): void {
    this.notify(JSON.stringify({ ...message, origin: this.instanceId }));
  }

  private notify(payload: string): void {
    const sender = this.sender;
    if (!sender) return;
    sender
      .query("select pg_notify($1, $2)", [clusterChannel, payload])
      .catch((error: Error) =>
        this.log.warn({ err: error.message }, "change not announced to the other instances"),
      );
  }

  private receive(payload: string): void {
    const message = decodeClusterMessage(payload);
    if (message === null) {
      this.log.warn({ bytes: payload.length }, "unreadable cluster notification dropped");
      return;
    }
    if (message.origin === this.instanceId) return;
    const { bus } = this.deps;
    switch (message.kind) {
      case "accessRules.changed":
        bus.emit("accessRules.changed", { centreIds: message.centreIds, elsewhere: true });
        break;
      case "principals.changed":
        bus.emit("principals.changed", { at: message.at, elsewhere: true });
        break;
      case "gatewayCredentials.revoked":
        bus.emit("gatewayCredentials.revoked", { gatewayIds: message.gatewayIds, elsewhere: true });
        break;
      case "events.committed":
        bus.emit("events.committedElsewhere", message.batch);
        break;
    }
  }
}
