/**
 * `npm run sim`: the simulator alone against a running cloud, for load work. Provisions (once,
 * through the HTTP API as a coordinator) N centres with a gateway, an entrance and people; runs
 * N gateways in this process, each with its own MQTT connection and outbox; badges at a target
 * rate and prints, every 10 s, taps per second and card-to-lock latency. See docs/demo.md.
 */
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DeviceHub } from "../devices/deviceHub.js";
import { startDeviceServer } from "../devices/deviceServer.js";
import { addEntrance } from "../doors/simulatedEntrance.js";
import { SteadyLoad } from "../scenario/steadyLoad.js";
import { ApiClient } from "./apiClient.js";
import { readManifest } from "./demoManifest.js";
import { InProcessGateways } from "./inProcessGateways.js";
import { explainApiError, provisionLoadNetwork } from "./loadNetwork.js";

const repo = new URL("../../../", import.meta.url).pathname;

const usage = `npm run sim -- --cloud-url URL [options]   load a running cloud with simulated gateways

  --cloud-url URL        the cloud's HTTP base (e.g. http://127.0.0.1:8080 from npm start)
  --broker-url URL       where the gateways connect (default: mqtt://<cloud host>:1883)
  --gateways N           simulated centres, one gateway each (default 50)
  --people N             people per centre (default 20)
  --rate R               badge taps per second over all gateways (default 20)
  --duration S           stop after S seconds (default: run until Ctrl-C)
  --prefix P             id prefix of the load centres (default "load")
  --seed S               same seed, same people and same taps (default "passerelle")
  --data-dir DIR         gateway outboxes and the provisioned secrets (default ./.sim-data)
  --demo-data DIR        take the coordinator login from npm start's data directory
                         (default ./.demo-data); or set PASSERELLE_COORDINATOR_EMAIL and
                         PASSERELLE_COORDINATOR_PASSWORD
  --log-level L          gateways' log level (default warn)
  --help                 this text`;

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value))
    throw new Error(`--${name}: expected a positive number`);
  return value;
}

async function coordinatorLogin(demoData: string) {
  const email = process.env.PASSERELLE_COORDINATOR_EMAIL;
  const password = process.env.PASSERELLE_COORDINATOR_PASSWORD;
  if (email && password) return { email, password };
  const login = (await readManifest(demoData))?.logins.find((l) => l.role === "coordinator");
  if (login === undefined) {
    throw new Error(
      `no coordinator login: set PASSERELLE_COORDINATOR_EMAIL and _PASSWORD, or --demo-data (${demoData} has none)`,
    );
  }
  return login;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "cloud-url": { type: "string" },
      "broker-url": { type: "string" },
      gateways: { type: "string" },
      people: { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      prefix: { type: "string" },
      seed: { type: "string" },
      "data-dir": { type: "string" },
      "demo-data": { type: "string" },
      "log-level": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const cloudUrl = values["cloud-url"];
  if (cloudUrl === undefined) throw new Error(`--cloud-url is required\n\n${usage}`);
  const gateways = Math.floor(positive("gateways", values.gateways, 50));
  const rate = positive("rate", values.rate, 20);
  const dataDir = resolve(values["data-dir"] ?? resolve(repo, ".sim-data"));
  const brokerUrl = values["broker-url"] ?? `mqtt://${new URL(cloudUrl).hostname}:1883`;
  const seed = values.seed ?? "passerelle";
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const api = new ApiClient(cloudUrl.replace(/\/$/, ""));
  const login = await coordinatorLogin(resolve(values["demo-data"] ?? resolve(repo, ".demo-data")));
  await api.login(login.email, login.password);
  console.log(`Provisioning ${gateways} load centres through ${cloudUrl} (kept in ${dataDir})…`);
  const network = await provisionLoadNetwork(
    api,
    {
      dataDir,
      prefix: values.prefix ?? "load",
      count: gateways,
      peoplePerCentre: Math.floor(positive("people", values.people, 20)),
      seed,
    },
    (done) => {
      if (done % 10 === 0) console.log(`  ${done}/${gateways} centres ready`);
    },
  );

  const hub = new DeviceHub();
  const devices = await startDeviceServer(hub, { port: 0 });
  const fleet = new InProcessGateways({
    directory: resolve(dataDir, "gateways"),
    brokerUrl,
    deviceEndpoint: devices.endpoint,
    logLevel: values["log-level"] ?? "warn",
  });
  const targets = [];
  for (const centre of network.centres) {
    const entrance = addEntrance(hub, centre.id);
    await fleet.start({
      centre: centre.id,
      gatewayId: centre.gatewayId,
      doorId: centre.doorId,
      secret: centre.gatewaySecret,
      publicKeyPem: centre.publicKeyPem,
    });
    targets.push({ entrance, uids: centre.uids });
  }
  console.log(`${fleet.count} gateways connected to ${brokerUrl}; badging at ${rate}/s`);
  // Give the gateways their first bundle before the first tap.
  await new Promise((resolveWait) => setTimeout(resolveWait, 3000));
  const load = new SteadyLoad(targets, rate, seed);
  load.start();
  const report = setInterval(() => {
    const w = load.window();
    console.log(
      `taps ${(w.taps / 10).toFixed(1)}/s, released ${w.released}, not released ${w.notReleased}; card to lock p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms, max ${w.max.toFixed(1)} ms`,
    );
  }, 10_000);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(report);
    load.stop();
    await fleet.stopAll();
    await devices.close();
    console.log(
      "Stopped: gateways flushed what the cloud acked; the rest waits in their outboxes.",
    );
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  if (values.duration !== undefined) {
    setTimeout(() => void stop(), positive("duration", values.duration, 60) * 1000);
  }
}

main().catch((error: unknown) => {
  console.error(`passerelle sim failed: ${explainApiError(error)}`);
  process.exit(1);
});
