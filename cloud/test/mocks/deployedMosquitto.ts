import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  findExecutable,
  type MosquittoService,
  provideRestartable,
  provideService,
  type ServiceProvision,
  writeMosquittoPasswordEntry,
} from "@passerelle/testkit";

const run = promisify(execFile);
export const deployDir = fileURLToPath(new URL("../../../deploy/mosquitto/", import.meta.url));
export const addGatewayScript = join(deployDir, "add-gateway.sh");
export const hasMosquittoPasswd =
  findExecutable("mosquitto_passwd", process.env, ["/usr/bin"]) !== undefined;

export interface DeployedMosquitto {
  provision: ServiceProvision<"mosquitto">;
  passwordFile: string;
  stop(): Promise<void>;
}

/** The broker-wide settings of deploy/mosquitto/mosquitto.conf that tests must run with too. */
const globalSettings = /^(use_username_as_clientid|max_packet_size|memory_limit)\s/;

export async function deployedGlobalSettings(): Promise<string[]> {
  const text = await readFile(join(deployDir, "mosquitto.conf"), "utf8");
  return text.split("\n").filter((line) => globalSettings.test(line));
}

/**
 * A real Mosquitto (testkit: random port, cleaned up) configured as operators deploy it:
 * deploy/mosquitto/acl, gateway entries written by deploy/mosquitto/add-gateway.sh, the cloud's
 * service user, and the client-id rule of deploy/mosquitto/mosquitto.conf. `restartable`: the
 * local binary, which an outage test stops and starts again (`service.restartable`).
 */
export async function startDeployedMosquitto(
  gateways: ReadonlyArray<{ id: string; secret: string }>,
  service: { username: string; password: string },
  options: { restartable?: boolean } = {},
): Promise<DeployedMosquitto> {
  const dir = await mkdtemp(join(tmpdir(), "passerelle-mosquitto-"));
  const passwordFile = join(dir, "passwd");
  for (const gateway of gateways) {
    if (hasMosquittoPasswd) {
      await run(addGatewayScript, [passwordFile, gateway.id], {
        env: { ...process.env, PASSERELLE_GATEWAY_SECRET: gateway.secret },
      });
    } else {
      await writeMosquittoPasswordEntry(passwordFile, gateway.id, gateway.secret);
    }
  }
  await writeMosquittoPasswordEntry(passwordFile, service.username, service.password);
  const config = {
    passwordFile,
    aclFile: join(deployDir, "acl"),
    extraConfig: await deployedGlobalSettings(),
  };
  const provision = options.restartable
    ? await provideRestartable("mosquitto", config)
    : await provideService("mosquitto", config);
  return {
    provision,
    passwordFile,
    async stop() {
      if (provision.available) await (provision.service as MosquittoService).stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
