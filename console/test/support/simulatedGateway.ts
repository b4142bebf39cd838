import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeviceHub,
  type SimulatedDoor,
  type SimulatedReader,
} from "../../../firmware-sim/src/index.js";
import { resolveConfig } from "../../../gateway/src/config/configLoader.js";
import { silentLogger } from "../../../gateway/src/core/logger.js";
import { createDefaultParts } from "../../../gateway/src/defaultParts.js";
import { GatewayApp } from "../../../gateway/src/gatewayApp.js";

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
      // The real parts, with the "sim" hardware on this process's hub.
      parts: (context) => createDefaultParts(config, silentLogger, context, { simHub: this.hub }),
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
}
