import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type BundleRequest,
  decodeMessage,
  encodeMessage,
  type GatewayEvent,
  ProtocolError,
  trustedKeysFromPem,
  uuidv7,
} from "@passerelle/protocol";
import { handleBadge } from "./badgeFlow.js";
import { BundleStore } from "./bundleStore/bundleStore.js";
import { ClockGuard } from "./clockGuard/clockGuard.js";
import { CommandHandler } from "./commands/commandHandler.js";
import type { GatewayConfig } from "./config/configSchema.js";
import type { DoorUnit, GatewayParts, PartEvent, PartsContext } from "./gatewayParts.js";
import type { Logger } from "./logger.js";
import { EventUplink } from "./mqtt/eventUplink.js";
import { type InboundKind, MqttLink } from "./mqtt/mqttLink.js";
import { StatusReporter } from "./status/statusReporter.js";

export const gatewayVersion = "0.1.0";

export interface GatewayAppOptions {
  config: GatewayConfig;
  logger: Logger;
  /** Builds hardware, doors, outbox and occupancy; each part reports its events through `record`. */
  parts: (context: PartsContext) => Promise<GatewayParts>;
  now?: () => number;
}

const readText = (path: string) => readFileSync(path, "utf8");

/**
 * The gateway, wired in one place (CONVENTIONS.md §4): hardware → door units → access decision
 * from the bundle in force → outbox → uplink over the MQTT link; bundles, acks and commands
 * back. Every feature is started here and stopped in reverse; the door is put in its lock mode
 * before the hardware stops, and the outbox is closed last.
 */
export class GatewayApp {
  private readonly log: Logger;
  private readonly now: () => number;
  private parts: GatewayParts | undefined;
  private link: MqttLink | undefined;
  private uplink: EventUplink | undefined;
  private bundles: BundleStore | undefined;
  private clock: ClockGuard | undefined;
  private status: StatusReporter | undefined;
  private pendingRequest: BundleRequest["reason"] | null = null;

  constructor(private readonly options: GatewayAppOptions) {
    this.log = options.logger.child({ module: "gateway:app" });
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    const { config, logger } = this.options;
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const trustedKeys = trustedKeysFromPem(config.trustedKeyFiles.map(readText));
    const password = config.mqtt.password ?? readText(config.mqtt.passwordFile ?? "").trim();

    const clock = new ClockGuard({
      file: join(config.dataDir, "clock.json"),
      toleranceMs: config.clock.toleranceMs,
      now: this.now,
      logger,
      onChange: (trusted) => this.record({ type: trusted ? "clock.trusted" : "clock.untrusted" }),
    });
    this.clock = clock;
    const link = new MqttLink({
      gatewayId: config.gatewayId,
      url: config.mqtt.url,
      password,
      baseTopic: config.mqtt.baseTopic,
      keepaliveSeconds: config.mqtt.keepaliveSeconds,
      reconnectMinMs: config.mqtt.reconnectMinMs,
      reconnectMaxMs: config.mqtt.reconnectMaxMs,
      tls: {
        ...(config.mqtt.caFile ? { ca: readFileSync(config.mqtt.caFile) } : {}),
        ...(config.mqtt.certFile ? { cert: readFileSync(config.mqtt.certFile) } : {}),
        ...(config.mqtt.keyFile ? { key: readFileSync(config.mqtt.keyFile) } : {}),
      },
      logger,
    });
    this.link = link;

    const bundles = new BundleStore({
      directory: join(config.dataDir, "bundles"),
      centre: config.centre,
      trustedKeys,
      now: this.now,
      logger,
      requestFull: (reason) => this.requestFull(reason),
      onApplied: (index) => {
        clock.observe(index.issuedAt);
        this.record({ type: "bundle.applied", bundleVersion: index.version });
        this.status?.changed();
      },
      onRejected: (code) => this.record({ type: "bundle.rejected", detail: code }),
    });
    this.bundles = bundles;
    const parts = await this.options.parts({
      record: (event) => this.record(event),
      currentIndex: () => bundles.current(),
      publishOccupancy: (sample) => link.publish("occupancy", encodeMessage("occupancy", sample)),
    });
    this.parts = parts;
    const uplink = new EventUplink(parts.outbox, link, {
      batchSize: config.outbox.batchSize,
      ackTimeoutMs: config.outbox.ackTimeoutMs,
      logger,
    });
    this.uplink = uplink;
    const commands = new CommandHandler({
      gatewayId: config.gatewayId,
      trustedKeys,
      now: this.now,
      logger,
      seenFile: join(config.dataDir, "commands-seen.json"),
      unlock: (doorId, durationMs, command) => {
        const door = this.door(doorId);
        if (!door)
          return this.record({ type: "command.rejected", detail: `unknown door ${doorId}` });
        door.remoteUnlock(durationMs ?? config.door.unlockMs);
        this.record({
          type: "remote.unlock",
          door: door.id,
          detail: command.issuedBy ?? command.id,
        });
      },
      resync: () => this.requestFull("resync"),
      onRejected: (code) => this.record({ type: "command.rejected", detail: code }),
    });

    const status = new StatusReporter(
      {
        centre: config.centre,
        software: `passerelle-gateway ${gatewayVersion}`,
        bundle: () => bundles.status(),
        clock: () => clock.status(),
        outbox: () => parts.outbox.status(),
        readers: () =>
          [parts.hardware.reader.status()].map((r) => ({
            id: r.readerId,
            state: r.state,
            ...(r.error ? { error: r.error } : {}),
          })),
        doors: () => parts.doors.map((door) => door.status()),
      },
      (payload) => link.publish("status", payload, true),
      { now: this.now, logger },
    );
    this.status = status;

    link.on("message", (kind, payload) => this.onMessage(kind, payload, bundles, commands));
    link.on("connection", (connected) => {
      uplink.onConnectionChange(connected);
      if (!connected) return;
      status.publishNow();
      if (this.pendingRequest) this.requestFull(this.pendingRequest);
    });

    const readerDoor = parts.doors[0];
    if (!readerDoor) throw new Error("the gateway needs at least one door");
    parts.hardware.reader.onBadge((presentation) => {
      handleBadge(
        {
          centre: config.centre,
          // Read at each badge: the bundle in force says whether this door leads out.
          door: { id: readerDoor.id, direction: this.doorDirection(readerDoor.id) },
          currentIndex: () => bundles.current(),
          clockTrusted: (at) => clock.isTrusted(at),
          now: this.now,
          unlock: () => readerDoor.grant(),
          record: (event) => this.record(event),
        },
        presentation,
      );
    });
    parts.hardware.reader.onStatus((reader) => {
      this.record({
        type: `reader.${reader.state === "connected" ? "connected" : reader.state === "error" ? "error" : "disconnected"}`,
        ...(reader.error ? { detail: reader.error.slice(0, 200) } : {}),
      });
      status.changed();
    });

    clock.load();
    clock.start();
    bundles.load();
    await parts.hardware.start();
    for (const door of parts.doors) await door.start();
    parts.occupancy?.start();
    link.start();
    status.start();
    this.log.info(
      { gateway: config.gatewayId, centre: config.centre, doors: parts.doors.map((d) => d.id) },
      "gateway started",
    );
  }

  async stop(): Promise<void> {
    this.status?.stop();
    this.parts?.occupancy?.stop();
    for (const door of this.parts?.doors ?? []) await door.stop().catch(() => undefined);
    await this.parts?.hardware.stop().catch(() => undefined);
    this.uplink?.stop();
    await this.link?.stop();
    this.clock?.stop();
    this.parts?.outbox.close();
    this.log.info("gateway stopped");
  }

  /** Stamps an event, makes it durable, feeds presence and wakes the uplink. Never throws. */
  record(event: PartEvent): void {
    const parts = this.parts;
    if (!parts) return;
    try {
      const stored: GatewayEvent = parts.outbox.append({
        time: new Date(this.now()).toISOString(),
        ...event,
        id: uuidv7(this.now()),
        centre: this.options.config.centre,
      } as Omit<GatewayEvent, "seq">);
      parts.occupancy?.record(stored);
      this.uplink?.pump();
    } catch (error) {
      this.log.error(
        { err: (error as Error).message, type: event.type },
        "event could not be recorded",
      );
    }
  }

  private onMessage(
    kind: InboundKind,
    payload: Buffer,
    bundles: BundleStore,
    commands: CommandHandler,
  ): void {
    switch (kind) {
      case "bundle":
        bundles.receiveFull(payload);
        return;
      case "bundleDelta":
        bundles.receiveDelta(payload);
        return;
      case "command":
        commands.receive(payload);
        return;
      case "ack":
        try {
          this.uplink?.onAck(decodeMessage("ack", payload).upToSeq);
        } catch (error) {
          const code = error instanceof ProtocolError ? error.code : "ack.invalid";
          this.log.warn({ code }, "malformed ack refused");
        }
        return;
    }
  }

  private requestFull(reason: BundleRequest["reason"]): void {
    const link = this.link;
    const held = this.bundles?.status().version ?? null;
    if (!link?.isConnected()) {
      this.pendingRequest = reason;
      return;
    }
    this.pendingRequest = null;
    link
      .publish("bundleRequest", encodeMessage("bundleRequest", { heldVersion: held, reason }))
      .catch(() => {
        this.pendingRequest = reason;
      });
  }

  private door(id: string | undefined): DoorUnit | undefined {
    const doors = this.parts?.doors ?? [];
    return id === undefined ? doors[0] : doors.find((door) => door.id === id);
  }

  /** Badging at an "out" door means leaving (presence); every other door is an entry. */
  private doorDirection(doorId: string): "in" | "out" {
    return this.bundles?.current()?.doors.get(doorId)?.direction === "out" ? "out" : "in";
  }
}
