import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  freePort,
  type MosquittoService,
  startMosquitto,
  writeMosquittoPasswordEntry,
} from "@passerelle/testkit";

const aclFile = fileURLToPath(new URL("../../../../deploy/mosquitto/acl", import.meta.url));

/**
 * A real Mosquitto as deployed (the project's ACL, a password file, client id = username),
 * on a fixed loopback port so it can be stopped and started again where its clients expect it.
 */
export class E2eMosquitto {
  readonly cloudUser = { username: "passerelle-cloud", password: `cloud-${Date.now()}` };
  private service: MosquittoService | undefined;

  private constructor(
    private readonly directory: string,
    readonly port: number,
  ) {}

  static async create(): Promise<E2eMosquitto> {
    const broker = new E2eMosquitto(
      await mkdtemp(join(tmpdir(), "e2e-mosquitto-")),
      await freePort(),
    );
    await broker.addLogin(broker.cloudUser.username, broker.cloudUser.password);
    await broker.start();
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  addLogin(username: string, password: string): Promise<void> {
    return writeMosquittoPasswordEntry(join(this.directory, "passwd"), username, password);
  }

  async start(): Promise<void> {
    this.service = await startMosquitto({
      passwordFile: join(this.directory, "passwd"),
      aclFile,
      port: this.port,
      extraConfig: ["use_username_as_clientid true"],
    });
  }

  async stop(): Promise<void> {
    await this.service?.stop();
    this.service = undefined;
  }

  async remove(): Promise<void> {
    await this.stop();
    await rm(this.directory, { recursive: true, force: true });
  }
}
