import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeviceHub,
  type SimulatedDoor,
  type SimulatedReader,
} from "../../../firmware-sim/src/index.js";
import { resolveConfig } from "../../../gateway/src/config/configLoader.js";
import type { GatewayConfig } from "../../../gateway/src/config/configSchema.js";
import { DoorController } from "../../../gateway/src/doorControl/doorController.js";
import { EventOutbox } from "../../../gateway/src/eventOutbox/eventOutbox.js";
import { GatewayApp } from "../../../gateway/src/gatewayApp.js";
import type { GatewayParts, PartsContext } from "../../../gateway/src/gatewayParts.js";
import { createHardware } from "../../../gateway/src/hardware/createHardware.js";
import { silentLogger } from "../../../gateway/src/logger.js";
import { OccupancyReporter } from "../../../gateway/src/occupancy/occupancyReporter.js";

type Index = ReturnType<PartsContext["currentIndex"]>;
const noZones: ReadonlyMap<string, readonly string[]> = new Map();
const zonesByIndex = new WeakMap<object, ReadonlyMap<string, readonly string[]>>();

/** The same map for the same bundle: the occupancy reporter compares by identity. */
function doorZones(index: Index): ReadonlyMap<string, readonly string[]> {
  if (index === null) return noZones;
  let zones = zonesByIndex.get(index.doors);
  if (zones === undefined) {
    zones = new Map([...index.doors.values()].map((door) => [door.id, door.zones]));
    zonesByIndex.set(index.doors, zones);
  }
  return zones;
}

/**
 * The real gateway (GatewayApp: MQTT link with its own credentials, signed bundle store, access
 * decision, door state machine, SQLite outbox, occupancy reporter) running in this process,
 * with firmware-sim's devices on an in-process hub instead of a Pi's reader and relay. A badge
 * tapped on `reader` is decided from the bundle the cloud sent it, exactly as on a door.
 */
export class SimulatedGateway {
  readonly hub = new DeviceHub();
  readonly reader: SimulatedReader = this.hub.addReader("reader-1");
  readonly door: SimulatedDoor = this.hub.addDoor("door-1");
  private app: GatewayApp | undefined;
  private directory: string | undefined;

  constructor(
    private readonly options: {
      gatewayId: string;
      centre: string;
      secret: string;
      brokerPort: number;
      publicKeyPem: string;
    },
  ) {}

  async start(): Promise<void> {
    this.directory = await mkdtemp(join(tmpdir(), "passerelle-sim-gateway-"));
    const keyFile = join(this.directory, "cloud-public.pem");
    await writeFile(keyFile, this.options.publicKeyPem);
    const config = resolveConfig(
      {
        gatewayId: this.options.gatewayId,
        centre: this.options.centre,
        dataDir: join(this.directory, "data"),
        logLevel: "error",
        mqtt: {
          url: `mqtt://127.0.0.1:${this.options.brokerPort}`,
          password: this.options.secret,
          reconnectMinMs: 100,
          reconnectMaxMs: 1000,
        },
        trustedKeyFiles: [keyFile],
        hardware: { adapter: "sim" },
      },
      {},
    );
    this.app = new GatewayApp({
      config,
      logger: silentLogger,
      parts: (context) => this.parts(config, context),
    });
    await this.app.start();
  }

  /** A badge on the reader, as a person holding their card to it. */
  tap(uidHex: string): void {
    this.reader.tap(Uint8Array.from(Buffer.from(uidHex, "hex")));
  }

  async stop(): Promise<void> {
    await this.app?.stop();
    if (this.directory) await rm(this.directory, { recursive: true, force: true });
  }

  /** gateway/src/defaultParts.ts, with the simulated hardware on this process's hub. */
  private async parts(config: GatewayConfig, context: PartsContext): Promise<GatewayParts> {
    const hardware = await createHardware(config.hardware, {
      logger: silentLogger,
      simHub: this.hub,
    });
    const doors = hardware.doors.map(
      (door) =>
        new DoorController({
          id: door.id,
          lock: door.lock,
          ...(door.contact ? { contact: door.contact } : {}),
          ...(door.exitButton ? { exitButton: door.exitButton } : {}),
          lockMode: config.door.lockMode,
          unlockMs: config.door.unlockMs,
          heldOpenMs: config.door.heldOpenMs,
          record: (event) => context.record(event),
          logger: silentLogger,
          ownsHardware: false,
        }),
    );
    const outbox = new EventOutbox({
      path: join(config.dataDir, "outbox.db"),
      capacity: config.outbox.capacity,
      logger: silentLogger,
    });
    const occupancy = new OccupancyReporter({
      centre: config.centre,
      centreRules: () => context.currentIndex()?.rules ?? null,
      doorZones: () => doorZones(context.currentIndex()),
      publish: (sample) => context.publishOccupancy(sample),
      inactivityLimitMs: config.presence.inactivityLimitMinutes * 60_000,
      logger: silentLogger,
    });
    return { hardware, doors, outbox, occupancy };
  }
}
