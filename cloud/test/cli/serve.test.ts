import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  decodeMessage,
  encodeMessage,
  openBundle,
  topicFor,
  trustedKeysFromPem,
  uuidv7,
} from "@passerelle/protocol";
import { provideService, serviceOf } from "@passerelle/testkit";
import Database from "better-sqlite3";
import { connectAsync, type MqttClient } from "mqtt";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { serveOptionSpecs } from "../../src/cli/serveOptions.js";
import { createDoor } from "../../src/domain/doors.js";
import { serviceDeps } from "../../src/domain/serviceDeps.js";
import { openStore } from "../../src/store/openStore.js";
import { startDeployedMosquitto } from "../mocks/deployedMosquitto.js";
import { admin, centre } from "../support/fixtures.js";
import { runCloudCli } from "./cliProcess.js";
import { type ServingCloud, startServe, stopServe } from "./serveProcess.js";

/* `serve`: the cloud as an operator runs it, a real child process on a temporary data dir. */

const password = "a long enough password";
const freePorts = ["--http-port", "0", "--broker-port", "0"];
let dataDir: string;
let running: ServingCloud | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "passerelle-serve-"));
});
afterEach(async () => {
  if (running !== undefined) await stopServe(running);
  running = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** deploy/cloud/cloud.env.example's KEY=value lines, as systemd's EnvironmentFile reads them. */
async function exampleEnvFile(): Promise<Record<string, string>> {
  const text = await readFile(
    new URL("../../../deploy/cloud/cloud.env.example", import.meta.url),
    "utf8",
  );
  const entries = text
    .split("\n")
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]);
  return Object.fromEntries(entries);
}

/** A centre and a gateway in a fresh data dir, provisioned by the CLI as an operator does. */
async function provisionedGateway(dir: string, centreId: string, id: string) {
  const store = await openStore({ dataDir: dir });
  await centre(serviceDeps(store), centreId);
  await store.close();
  const provisioned = await runCloudCli([
    "provision-gateway",
    "--centre",
    centreId,
    "--id",
    id,
    "--json",
    "--data-dir",
    dir,
  ]);
  expect(provisioned.code).toBe(0);
  const { username, secret, publicKeyPem } = JSON.parse(provisioned.stdout) as Record<
    string,
    string
  >;
  return { id: username as string, secret: secret as string, publicKeyPem: publicKeyPem as string };
}

function login(httpUrl: string, email: string, pw: string) {
  return fetch(`${httpUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: pw }),
  });
}

/** The next message on a topic the client is subscribed to. */
function nextMessage(client: MqttClient, topic: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const onMessage = (received: string, payload: Buffer) => {
      if (received !== topic) return;
      client.off("message", onMessage);
      resolve(payload);
    };
    client.on("message", onMessage);
  });
}

// Each case runs several CLI processes (node + tsx loading the cloud's sources) one after the
// other; on a loaded 2-core machine one start alone took 20 s, so the file gets 90 s a case.
const processTimeout = { timeout: 90_000 };

describe("serve", processTimeout, () => {
  it("answers /healthz and logs in the coordinator made by create-coordinator", async () => {
    const made = await runCloudCli(
      ["create-coordinator", "--email", "coord@example.coop", "--data-dir", dataDir],
      { env: { PASSERELLE_PASSWORD: password } },
    );
    expect(made.code).toBe(0);
    // Configured from the environment only, as systemd does with deploy/cloud's example file.
    running = await startServe([], {
      ...(await exampleEnvFile()),
      PASSERELLE_DATA_DIR: dataDir,
      PASSERELLE_HTTP_PORT: "0",
      PASSERELLE_BROKER_PORT: "0",
    });
    expect(running.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.brokerUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);

    const health = await fetch(`${running.httpUrl}/healthz`);
    expect(health.status).toBe(200);
    const ok = await login(running.httpUrl, "coord@example.coop", password);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { token: string }).token.length).toBeGreaterThan(20);
    expect((await login(running.httpUrl, "coord@example.coop", "not the password")).status).toBe(
      401,
    );
    // Logs are JSON lines on stdout, the password in none of them.
    expect(running.logLines().some((line) => line.msg === "cloud started")).toBe(true);
    expect(running.logLines().some((line) => JSON.stringify(line).includes(password))).toBe(false);
  });

  it("lets a provisioned gateway in, commits and acks its events on SIGTERM, exits 0, and starts again on the same data dir", async () => {
    const { id: username, secret } = await provisionedGateway(dataDir, "redu", "redu-1");
    const withDoor = await openStore({ dataDir });
    await createDoor(serviceDeps(withDoor), admin, {
      id: "redu-main",
      centreId: "redu",
      gatewayId: "redu-1",
      name: "Entrée",
      direction: "both",
    });
    await withDoor.close();

    running = await startServe(["--data-dir", dataDir, ...freePorts]);
    // The embedded broker takes a gateway's client id as gw-<id> (topicAccess.ts).
    const mqttOptions = {
      clientId: `gw-${username}`,
      protocolVersion: 4,
      reconnectPeriod: 0,
    } as const;
    await expect(
      connectAsync(running.brokerUrl, { ...mqttOptions, username, password: "wrong" }),
    ).rejects.toThrow(/bad username or password|not authorized/i);
    const gateway = await connectAsync(running.brokerUrl, {
      ...mqttOptions,
      username,
      password: secret,
    });
    try {
      await gateway.subscribeAsync(topicFor("redu-1", "ack"), { qos: 1 });
      const events = Array.from({ length: 50 }, (_, i) => ({
        id: uuidv7(),
        seq: i + 1,
        time: new Date().toISOString(),
        type: "door.opened" as const,
        centre: "redu",
        door: "redu-main",
      }));
      const ack = nextMessage(gateway, topicFor("redu-1", "ack"));
      await gateway.publishAsync(
        topicFor("redu-1", "events"),
        encodeMessage("events", { events }),
        { qos: 1 },
      );
      // SIGTERM as soon as the broker has the batch: the stop commits it and acks it first.
      expect(await stopServe(running)).toBe(0);
      expect(decodeMessage("ack", await ack)).toEqual({ upToSeq: 50 });
    } finally {
      await gateway.endAsync(true);
    }
    expect(running.logLines().at(-1)?.msg).toBe("stopped");
    running = undefined;

    const file = new Database(join(dataDir, "passerelle.sqlite"), { readonly: true });
    try {
      expect(file.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(
        file.prepare("select count(*) as n from access_events where gateway_id = ?").get("redu-1"),
      ).toEqual({ n: 50 });
    } finally {
      file.close();
    }

    running = await startServe(["--data-dir", dataDir, ...freePorts]);
    expect((await fetch(`${running.httpUrl}/healthz`)).status).toBe(200);
    const again = await connectAsync(running.brokerUrl, {
      ...mqttOptions,
      username,
      password: secret,
    });
    await again.endAsync(true);
  });

  it("exits 1 naming the cause when its HTTP port is taken, instead of hanging half-started", async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await runCloudCli([
        "serve",
        "--data-dir",
        dataDir,
        "--http-port",
        String(port),
        "--broker-port",
        "0",
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("serve failed");
      expect(result.stderr).toContain("EADDRINUSE");
    } finally {
      taken.close();
    }
  });
});

describe("serve: bad options are usage errors (exit 2) naming the option", processTimeout, () => {
  const cases: [string, string[], Record<string, string>, string[]][] = [
    ["no data dir", ["--http-port", "0"], {}, ["--data-dir", "PASSERELLE_DATA_DIR"]],
    [
      "a port that is not one",
      ["--data-dir", "/nonexistent", "--http-port", "80a"],
      {},
      ["--http-port"],
    ],
    [
      "a port from the environment",
      ["--data-dir", "/nonexistent"],
      { PASSERELLE_BROKER_PORT: "70000" },
      ["PASSERELLE_BROKER_PORT"],
    ],
    [
      "an unknown broker mode",
      ["--data-dir", "/nonexistent", "--broker", "cloud"],
      {},
      ["--broker", "embedded or external"],
    ],
    [
      "external without URL nor password",
      ["--data-dir", "/nonexistent", "--broker", "external"],
      {},
      ["--broker-url", "PASSERELLE_BROKER_PASSWORD"],
    ],
    [
      "external with an embedded option",
      [
        "--data-dir",
        "/nonexistent",
        "--broker",
        "external",
        "--broker-url",
        "mqtt://broker:1883",
        "--broker-port",
        "1884",
      ],
      { PASSERELLE_BROKER_PASSWORD: "pw" },
      ["--broker-port"],
    ],
    [
      "embedded with a broker URL",
      ["--data-dir", "/nonexistent", "--broker-url", "mqtt://broker:1883"],
      {},
      ["--broker-url", "--broker external"],
    ],
    [
      "a password on argv",
      ["--data-dir", "/nonexistent", "--broker-password", "hunter2"],
      {},
      ["--broker-password", "PASSERELLE_BROKER_PASSWORD"],
    ],
    [
      "a log level",
      ["--data-dir", "/nonexistent"],
      { PASSERELLE_LOG_LEVEL: "loud" },
      ["PASSERELLE_LOG_LEVEL"],
    ],
    [
      "a postgres URL",
      ["--data-dir", "/nonexistent", "--postgres-url", "mysql://x"],
      {},
      ["--postgres-url"],
    ],
    ["an unknown option", ["--data-dir", "/nonexistent", "--htp-port", "1"], {}, ["--htp-port"]],
    [
      "a proxy trusted as false",
      ["--data-dir", "/nonexistent"],
      { PASSERELLE_TRUST_PROXY: "false" },
      ["PASSERELLE_TRUST_PROXY"],
    ],
  ];
  it.each(cases)("%s", async (_what, args, env, named) => {
    const result = await runCloudCli(["serve", ...args], { env });
    expect(result.code).toBe(2);
    for (const name of named) expect(result.stderr).toContain(name);
    expect(result.stderr).not.toContain("hunter2");
    expect(result.stdout).toBe("");
  });

  it("lists every problem at once", async () => {
    const result = await runCloudCli(["serve", "--http-port", "x", "--log-level", "loud"]);
    expect(result.code).toBe(2);
    for (const name of ["--data-dir", "--http-port", "--log-level"]) {
      expect(result.stderr).toContain(name);
    }
  });

  it("documents its options and their environment variables in --help", async () => {
    const help = await runCloudCli(["serve", "--help"]);
    expect(help.code).toBe(0);
    for (const name of ["--http-port", "--broker-url", "PASSERELLE_BROKER_PASSWORD", "SIGTERM"]) {
      expect(help.stdout).toContain(name);
    }
  });
});

describe("deploy/cloud/cloud.env.example", () => {
  it("names every variable serve reads, and those of the backup and archive timers", async () => {
    const example = await exampleEnvFile();
    const read = [
      ...Object.values(serveOptionSpecs).map((spec) => spec.env),
      "PASSERELLE_BROKER_PASSWORD",
      "PASSERELLE_METRICS_TOKEN",
      "PASSERELLE_INFLUX_PASSWORD",
      "PASSERELLE_INFLUX_TOKEN",
    ];
    // deploy/cloud/backup.sh's settings (PASSERELLE_NODE is left to the script's default), and
    // the archive command's retention (passerelle-archive.service).
    const timers = [
      "PASSERELLE_BACKUP_DIR",
      "PASSERELLE_BACKUP_KEEP_DAYS",
      "PASSERELLE_CLI",
      "PASSERELLE_PG_DUMP",
      "PASSERELLE_KEEP_EVENT_MONTHS",
      "PASSERELLE_KEEP_AUDIT_MONTHS",
    ];
    expect(Object.keys(example).sort()).toEqual([...read, ...timers].sort());
  });
});

/* External mode needs the gateway's secret in Mosquitto's password file before it starts. */
const brokerService = { username: "passerelle-cloud", password: "service secret for the test" };
const externalDataDir = await mkdtemp(join(tmpdir(), "passerelle-serve-external-"));
const externalGateway = await provisionedGateway(externalDataDir, "ciney", "ciney-1");
const mosquitto = await startDeployedMosquitto([externalGateway], brokerService);
afterAll(() => rm(externalDataDir, { recursive: true, force: true }));

describe.skipIf(!mosquitto.provision.available)(
  "serve with --broker external (Mosquitto, deploy/ ACL)",
  processTimeout,
  () => {
    afterAll(() => mosquitto.stop());

    it("links to the broker as its service user and publishes the gateways' bundles there", async () => {
      running = await startServe(
        ["--data-dir", externalDataDir, "--http-port", "0", "--broker", "external"],
        {
          PASSERELLE_BROKER_URL: serviceOf(mosquitto.provision).url,
          PASSERELLE_BROKER_USERNAME: brokerService.username,
          PASSERELLE_BROKER_PASSWORD: brokerService.password,
        },
      );
      expect(running.brokerUrl).toBe(serviceOf(mosquitto.provision).url);
      expect(
        running.logLines().some((line) => JSON.stringify(line).includes(brokerService.password)),
      ).toBe(false);
      const gateway = await connectAsync(running.brokerUrl, {
        username: externalGateway.id,
        password: externalGateway.secret,
        protocolVersion: 4,
        reconnectPeriod: 0,
      });
      try {
        const bundle = nextMessage(gateway, topicFor(externalGateway.id, "bundle"));
        await gateway.subscribeAsync(topicFor(externalGateway.id, "bundle"), { qos: 1 });
        // Signed with the key provision-gateway printed, for the gateway's centre.
        const opened = openBundle(await bundle, {
          trustedKeys: trustedKeysFromPem([externalGateway.publicKeyPem]),
          heldVersion: null,
          centre: "ciney",
          now: Date.now(),
        });
        expect(opened).toMatchObject({ type: "bundle.full", centre: "ciney" });
      } finally {
        await gateway.endAsync(true);
      }
      expect(await stopServe(running)).toBe(0);
      running = undefined;
    });

    it("exits 1 naming the broker when its password is wrong", async () => {
      const result = await runCloudCli(
        ["serve", "--data-dir", externalDataDir, "--http-port", "0", "--broker", "external"],
        {
          env: {
            PASSERELLE_BROKER_URL: serviceOf(mosquitto.provision).url,
            PASSERELLE_BROKER_USERNAME: brokerService.username,
            PASSERELLE_BROKER_PASSWORD: "not the password",
          },
        },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("cannot connect to the broker");
      expect(result.stderr).not.toContain("not the password");
    });
  },
);

const postgres = await provideService("postgres");
describe.skipIf(!postgres.available)("serve on PostgreSQL", processTimeout, () => {
  const service = postgres.available ? serviceOf(postgres) : undefined;
  afterAll(async () => {
    await service?.stop();
  });

  it("serves from the database at PASSERELLE_POSTGRES_URL and stops with exit 0", async () => {
    // testkit gives this file a fresh database of its own, dropped by stop().
    const url = service?.url as string;
    const made = await runCloudCli(
      ["create-coordinator", "--email", "coord@example.coop", "--data-dir", dataDir],
      { env: { PASSERELLE_PASSWORD: password, PASSERELLE_POSTGRES_URL: url } },
    );
    expect(made.code).toBe(0);
    running = await startServe(["--data-dir", dataDir, ...freePorts], {
      PASSERELLE_POSTGRES_URL: url,
    });
    expect(running.logLines().some((line) => JSON.stringify(line).includes(url))).toBe(false);
    expect((await fetch(`${running.httpUrl}/healthz`)).status).toBe(200);
    expect((await login(running.httpUrl, "coord@example.coop", password)).status).toBe(200);
    expect(await stopServe(running)).toBe(0);
    running = undefined;
  });
});
