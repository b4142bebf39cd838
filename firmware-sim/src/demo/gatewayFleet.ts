import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { entranceHardwareConfig } from "../doors/simulatedEntrance.js";
import type { DemoCentreEntry } from "./demoManifest.js";

const repo = new URL("../../../", import.meta.url).pathname;
export const gatewayMain = join(repo, "gateway/src/main.ts");

export interface FleetOptions {
  /** Where each gateway keeps its config, secret, outbox and bundle: `<dir>/<gatewayId>/`. */
  readonly directory: string;
  readonly brokerUrl: string;
  readonly publicKeyFile: string;
  readonly deviceEndpoint: string;
  readonly logLevel?: string;
  /** Extra gateway config (shorter timeouts in tests). */
  readonly extra?: Record<string, unknown>;
  /** A centre whose gateway reads cards through a real pcscd (`pcsc` adapter). */
  readonly pcscCentre?: string;
  /** Centres whose entrance reader is an OSDP reader: its `reader` config, by centre id. */
  readonly osdpReaders?: ReadonlyMap<string, Record<string, unknown>>;
  /** A gateway exited without being asked to (bad config, missing module): its last words. */
  readonly onUnexpectedExit?: (gatewayId: string, code: number | null, lastOutput: string) => void;
}

/**
 * One gateway process per centre, each with its own MQTT connection, outbox and bundle store,
 * started exactly as an operator starts one (`gateway/src/main.ts --config FILE`); its devices
 * are the simulated entrance on the device server.
 */
export class GatewayFleet {
  private readonly children = new Map<string, ChildProcess>();
  private readonly exits = new Map<string, Promise<number | null>>();
  private readonly stopping = new Set<string>();

  constructor(private readonly options: FleetOptions) {}

  configPath(centre: DemoCentreEntry): string {
    return join(this.options.directory, centre.gatewayId, "gateway.json");
  }

  /** Writes the gateway's config and secret (mode 0600), as provisioning does on a Pi. */
  writeConfig(centre: DemoCentreEntry): string {
    const directory = join(this.options.directory, centre.gatewayId);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const secretFile = join(directory, "mqtt-secret");
    writeFileSync(secretFile, centre.gatewaySecret, { mode: 0o600 });
    const config = {
      gatewayId: centre.gatewayId,
      centre: centre.id,
      dataDir: join(directory, "data"),
      logLevel: this.options.logLevel ?? "info",
      mqtt: {
        url: this.options.brokerUrl,
        passwordFile: secretFile,
        reconnectMinMs: 250,
        reconnectMaxMs: 2000,
      },
      trustedKeyFiles: [this.options.publicKeyFile],
      hardware: entranceHardwareConfig(centre.id, centre.doorId, this.options.deviceEndpoint, {
        ...this.readerFor(centre.id),
        ...(centre.exitKind ? { exitKind: centre.exitKind } : {}),
      }),
      ...this.options.extra,
    };
    const path = this.configPath(centre);
    writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    return path;
  }

  private readerFor(centreId: string): { reader?: Record<string, unknown> } {
    if (centreId === this.options.pcscCentre)
      return { reader: { adapter: "pcsc", id: "reader-1" } };
    const osdp = this.options.osdpReaders?.get(centreId);
    return osdp ? { reader: osdp } : {};
  }

  start(centre: DemoCentreEntry): ChildProcess {
    if (this.children.has(centre.gatewayId)) throw new Error(`${centre.gatewayId} is running`);
    const config = this.writeConfig(centre);
    const log = createWriteStream(join(this.options.directory, `${centre.gatewayId}.log`), {
      flags: "a",
    });
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", gatewayMain, "--config", config],
      // Its own process group: a Ctrl-C in the terminal reaches the launcher only, which then
      // stops the gateways before the cloud (so their last events are acked).
      { cwd: repo, stdio: ["ignore", "pipe", "pipe"], env: process.env, detached: true },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    let lastOutput = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      lastOutput = chunk.toString().trim().slice(-500);
    });
    this.children.set(centre.gatewayId, child);
    this.exits.set(
      centre.gatewayId,
      new Promise((resolve) =>
        child.once("exit", (code) => {
          this.children.delete(centre.gatewayId);
          log.end();
          if (!this.stopping.has(centre.gatewayId)) {
            this.options.onUnexpectedExit?.(centre.gatewayId, code, lastOutput);
          }
          this.stopping.delete(centre.gatewayId);
          resolve(code);
        }),
      ),
    );
    return child;
  }

  /** Last resort when the launcher exits without stopping: no gateway outlives it. */
  killAll(): void {
    for (const child of this.children.values()) child.kill("SIGKILL");
  }

  running(): string[] {
    return [...this.children.keys()];
  }

  /** SIGTERM to one gateway (it applies its lock mode and flushes), then SIGKILL after a grace. */
  async stop(gatewayId: string, graceMs = 5000): Promise<void> {
    const child = this.children.get(gatewayId);
    const exited = this.exits.get(gatewayId);
    if (child === undefined || exited === undefined) return;
    this.stopping.add(gatewayId);
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.running().map((id) => this.stop(id)));
  }
}
