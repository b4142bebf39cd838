import { execFile, spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { findExecutable, freePorts, type MosquittoService, serviceOf } from "@passerelle/testkit";
import { connectAsync } from "mqtt";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  addGatewayScript,
  deployDir,
  hasMosquittoPasswd,
  startDeployedMosquitto,
} from "../mocks/deployedMosquitto.js";
import { describeConfinement } from "./brokerConfinementSuite.js";

/*
 * The same confinement suite as the embedded broker's, against a real Mosquitto configured with
 * the files operators deploy: deploy/mosquitto/acl, and password entries written by
 * deploy/mosquitto/add-gateway.sh.
 */

const run = promisify(execFile);
const gatewayA = { id: "gw-a", secret: "secret-of-a" };
const gatewayB = { id: "gw-b", secret: "secret-of-b" };
const service = { username: "passerelle-cloud", password: "cloud-service-secret" };

const mosquitto = await startDeployedMosquitto([gatewayA, gatewayB], service);
afterAll(() => mosquitto.stop());

describe.skipIf(!mosquitto.provision.available)(
  "Mosquitto with deploy/mosquitto/acl: confinement",
  () => {
    describeConfinement(() => ({
      url: serviceOf(mosquitto.provision).url,
      gatewayA,
      gatewayB,
      service,
      // Mosquitto 2.0 grants any filter and checks the read ACL per message at delivery.
      refusedSubscribeGetsFailureCode: false,
    }));
  },
);

describe.skipIf(!hasMosquittoPasswd)("deploy/mosquitto/add-gateway.sh", () => {
  const withSecret = (secret: string) => ({
    env: { ...process.env, PASSERELLE_GATEWAY_SECRET: secret },
  });

  it("refuses an id that is not a gateway id, and the service user's name", async () => {
    for (const id of ["GW-A", "gw/a", "+", "#", "passerelle-cloud"]) {
      const running = run(addGatewayScript, [mosquitto.passwordFile, id], withSecret("x"));
      running.child.stdin?.end();
      await expect(running).rejects.toMatchObject({ code: 2 });
    }
  });

  it("refuses to write an entry without a secret", async () => {
    const running = run(addGatewayScript, [mosquitto.passwordFile, "gw-c"], withSecret(""));
    running.child.stdin?.end(); // nothing on standard input either
    await expect(running).rejects.toMatchObject({ code: 2 });
  });

  it("reads the secret from standard input", async () => {
    const running = run(addGatewayScript, [mosquitto.passwordFile, "gw-c"], withSecret(""));
    running.child.stdin?.end("secret-of-c\n");
    await expect(running).resolves.toMatchObject({ stdout: expect.stringContaining("gw-c") });
  });
});

describe.skipIf(!hasMosquittoPasswd || !mosquitto.provision.available)(
  "Mosquitto reload after a gateway's entry changes (deploy/mosquitto/README.md)",
  () => {
    const gatewayD = "gw-d";
    const writeEntry = async (secret: string) => {
      const running = run(addGatewayScript, [mosquitto.passwordFile, gatewayD], {
        env: { ...process.env, PASSERELLE_GATEWAY_SECRET: secret },
      });
      running.child.stdin?.end();
      await running;
    };
    const login = (username: string, password: string) =>
      connectAsync(serviceOf(mosquitto.provision).url, {
        clientId: username,
        username,
        password,
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 5_000,
      });
    const reload = async () => {
      const service: MosquittoService = serviceOf(mosquitto.provision);
      if (!service.reload) throw new Error("this broker was not started by the testkit");
      await service.reload();
    };

    it("closes a rotated or removed gateway's open connection, and only that one", async () => {
      await writeEntry("first-secret-of-d");
      await reload();
      const first = await vi.waitFor(() => login(gatewayD, "first-secret-of-d"), {
        timeout: 5_000,
        interval: 100,
      });
      const other = await login(gatewayB.id, gatewayB.secret);
      try {
        // Rotation: the new entry replaces the old, and the reload ends the old connection.
        const rotated = new Promise<void>((resolve) => first.once("close", () => resolve()));
        await writeEntry("second-secret-of-d");
        await reload();
        await rotated;
        await expect(login(gatewayD, "first-secret-of-d")).rejects.toThrow(/not authori[sz]ed/i);
        const second = await login(gatewayD, "second-secret-of-d");
        // Removal: `mosquitto_passwd -D`, then the reload.
        const removed = new Promise<void>((resolve) => second.once("close", () => resolve()));
        await run("mosquitto_passwd", ["-D", mosquitto.passwordFile, gatewayD]);
        await reload();
        await removed;
        await expect(login(gatewayD, "second-secret-of-d")).rejects.toThrow(/not authori[sz]ed/i);
        expect(other.connected).toBe(true);
        await second.endAsync(true);
      } finally {
        await first.endAsync(true);
        await other.endAsync(true);
      }
    });
  },
);

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const mosquittoBinary = findExecutable("mosquitto", process.env, ["/usr/sbin"]);
const openssl = findExecutable("openssl", process.env, ["/usr/bin"]);

describe.skipIf(!mosquittoBinary || !openssl)("deploy/mosquitto/mosquitto.conf", () => {
  it("loads in Mosquitto and opens both listeners (paths and ports moved to a temp dir)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "passerelle-mosquitto-conf-"));
    const [tlsPort, plainPort] = await freePorts(2);
    try {
      await mkdir(join(dir, "certs"));
      await mkdir(join(dir, "data"));
      await run(openssl as string, [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        join(dir, "certs/server.key"),
        "-out",
        join(dir, "certs/server.crt"),
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
      ]);
      await copyFile(join(deployDir, "acl"), join(dir, "acl"));
      await writeFile(join(dir, "passwd"), "");
      const deployed = await readFile(join(deployDir, "mosquitto.conf"), "utf8");
      const config = deployed
        .replaceAll("/mosquitto/config", dir)
        .replaceAll("/mosquitto/data/", `${dir}/data/`)
        .replace(/^listener 8883$/m, `listener ${tlsPort} 127.0.0.1`)
        .replace(/^listener 1883$/m, `listener ${plainPort} 127.0.0.1`);
      expect(config).not.toBe(deployed);
      const rootLine = process.getuid?.() === 0 ? "\nuser root\n" : "\n";
      await writeFile(join(dir, "mosquitto.conf"), config + rootLine);
      const broker = spawn(mosquittoBinary as string, ["-c", join(dir, "mosquitto.conf")]);
      let output = "";
      broker.stdout.on("data", (chunk) => (output += chunk));
      broker.stderr.on("data", (chunk) => (output += chunk));
      try {
        // Its log is block-buffered on a pipe: wait for the ports, read the log after exit.
        await vi.waitFor(
          async () => {
            expect(await accepts(tlsPort as number)).toBe(true);
            expect(await accepts(plainPort as number)).toBe(true);
          },
          { timeout: 5_000, interval: 50 },
        );
      } finally {
        broker.kill("SIGTERM");
        await new Promise((resolve) => broker.once("exit", resolve));
      }
      expect(output).toMatch(/mosquitto version .+ running/);
      // The configuration's errors come before "running". After it, the port probe above (a
      // bare TCP connect on the TLS listener, closed at once) may be logged as an OpenSSL
      // "unexpected eof", depending on timing: that is the probe, not the configuration.
      const startup = output.slice(0, output.search(/mosquitto version .+ running/));
      expect(startup).toMatch(/Opening ipv4 listen socket/);
      expect(startup).not.toMatch(/Error/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
