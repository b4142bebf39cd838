import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { credentialHash, type FullBundle } from "@passerelle/protocol";
import {
  type MosquittoService,
  startMosquitto,
  writeMosquittoPasswordEntry,
} from "@passerelle/testkit";
import type { FakeCloud } from "../support/fakeCloud.js";

export const gatewayId = "redu-1";
export const cloudUser = { username: "passerelle-cloud", password: "cloud-service-secret" };
const gatewaySecret = "gateway-secret-redu-1";
const repo = new URL("../../../../", import.meta.url).pathname;
const aclFile = join(repo, "deploy/mosquitto/acl");

/** Mosquitto with the project's ACL and a password entry for the gateway and the cloud. */
export async function startBroker(directory: string, port?: number): Promise<MosquittoService> {
  const passwordFile = join(directory, "passwd");
  await writeMosquittoPasswordEntry(passwordFile, gatewayId, gatewaySecret);
  await writeMosquittoPasswordEntry(passwordFile, cloudUser.username, cloudUser.password);
  return startMosquitto({ passwordFile, aclFile, ...(port === undefined ? {} : { port }) });
}

export function bundleFor(salt: string, uids: string[], version: number): FullBundle {
  return {
    type: "bundle.full",
    centre: "redu",
    version,
    issuedAt: new Date(Date.now() - 60_000).toISOString(),
    validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    credentialSalt: salt,
    rules: {
      id: "redu",
      name: "Redu",
      timeZone: "Europe/Brussels",
      openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" }],
      closedDates: [],
    },
    doors: [{ id: "door-1", name: "Entrée", direction: "both", zones: ["open-space"] }],
    credentials: uids.map((uid, i) => ({
      hash: credentialHash(uid, salt),
      member: `m-${i}`,
      status: "active",
      doors: ["door-1"],
      windows: [],
      passes: [],
      staff: true,
      offlineStaff: false,
    })),
  };
}

/** The gateway as an operator runs it: `main.ts --config FILE`, a separate process. */
export class GatewayProcess {
  readonly directory = mkdtempSync(join(tmpdir(), "gw-process-"));
  readonly output: string[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(
    brokerUrl: string,
    cloud: FakeCloud,
    hardware: unknown,
    extra: Record<string, unknown> = {},
  ) {
    writeFileSync(join(this.directory, "secret"), gatewaySecret);
    writeFileSync(join(this.directory, "cloud.pub.pem"), cloud.signing.publicKeyPem);
    const config = {
      gatewayId,
      centre: "redu",
      dataDir: join(this.directory, "data"),
      logLevel: "info",
      mqtt: {
        url: brokerUrl,
        passwordFile: join(this.directory, "secret"),
        reconnectMinMs: 200,
        reconnectMaxMs: 1000,
      },
      trustedKeyFiles: [join(this.directory, "cloud.pub.pem")],
      outbox: { ackTimeoutMs: 2000, batchSize: 50 },
      hardware,
      ...extra,
    };
    writeFileSync(join(this.directory, "gateway.json"), JSON.stringify(config));
  }

  start(env: Record<string, string> = {}): void {
    const child = spawn(
      process.execPath,
      [
        "--conditions=source",
        "--import",
        "tsx",
        join(repo, "gateway/src/main.ts"),
        "--config",
        join(this.directory, "gateway.json"),
      ],
      { cwd: repo, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.on("data", (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    this.child = child;
  }

  /** Sends a signal and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    this.child?.kill(signal);
    return this.exited;
  }

  log(): string {
    return this.output.join("");
  }
}
