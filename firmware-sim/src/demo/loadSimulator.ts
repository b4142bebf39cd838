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
import { openFiles, wontFit } from "./openFileLimit.js";
import { readRunningDemo } from "./runningDemo.js";

const repo = new URL("../../../", import.meta.url).pathname;

const usage = `npm run sim -- [options]   load a running cloud with simulated gateways

  --cloud-url URL        the cloud's HTTP base (default: the running npm start's, read from
                         the running.json it writes into its data directory, see --demo-data)
  --broker-url URL       where the gateways connect (default: the running npm start's broker,
                         else mqtt://<cloud host>:1883)
  --gateways N           simulated centres, one gateway each (default 50)
  --people N             people per centre (default 20)
  --rate R               badge taps per second over all gateways (default 20)
  --duration S           stop after S seconds (default: run until Ctrl-C)
  --prefix P             id prefix of the load centres (default "load")
  --seed S               same seed, same people and same taps (default "passerelle")
  --data-dir DIR         gateway outboxes and the provisioned secrets (default ./.sim-data)
  --demo-data DIR        npm start's data directory (default ./.demo-data): where the
                         running demo's URLs and the coordinator login are; or set
                         PASSERELLE_COORDINATOR_EMAIL and PASSERELLE_COORDINATOR_PASSWORD
  --log-level L          gateways' log level (default warn)
  --help                 this text

Every 10 s it prints one line over the last 10 s:
  taps/s        badge taps sent per second, over all load gateways
  released      taps after which the door's lock opened within 2 s (the card was granted)
  not released  taps the lock did not open for within 2 s (refused, or the gateway too slow)
  exits         people who left by the exit button (at a door settled after its last entry)
  inside        people the load has let in and not out yet, over all load centres
  card to lock  time from the tap to the lock opening, of the released taps: p50 (half were
                faster), p99 (one in a hundred was slower), max
A tap at a door still open from the previous one is sent but not timed.
When it stops (--duration or Ctrl-C), everyone still inside leaves by the exit button, so the
load centres' count goes back to 0 and their presence closes, then the gateways stop.`;

/** Explains the figures once, at the start, so the lines that follow can stay short. */
const legend =
  "Every 10 s: taps/s sent; released = the lock opened within 2 s; not released = it did not " +
  "(refused or too slow); exits by the button; inside = let in and not out yet; card to lock " +
  "p50/p99/max in ms over the released taps (npm run sim -- --help says more).";

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
  const demoData = resolve(values["demo-data"] ?? resolve(repo, ".demo-data"));
  const running = await readRunningDemo(demoData);
  const cloudUrl = values["cloud-url"] ?? running?.httpUrl;
  if (cloudUrl === undefined) {
    throw new Error(
      `no running demo in ${demoData} (npm start writes running.json there while it runs): ` +
        `start it, or give --cloud-url (and --broker-url)\n\n${usage}`,
    );
  }
  const gateways = Math.floor(positive("gateways", values.gateways, 50));
  const rate = positive("rate", values.rate, 20);
  const dataDir = resolve(values["data-dir"] ?? resolve(repo, ".sim-data"));
  const brokerUrl =
    values["broker-url"] ??
    (running !== undefined && values["cloud-url"] === undefined
      ? running.brokerUrl
      : `mqtt://${new URL(cloudUrl).hostname}:1883`);
  const seed = values.seed ?? "passerelle";
  await mkdir(dataDir, { recursive: true, mode: 0o700 });

  const api = new ApiClient(cloudUrl.replace(/\/$/, ""));
  const login = await coordinatorLogin(demoData);
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
  const beforeGateways = openFiles();
  for (const centre of network.centres) {
    if (targets.length === 1 && beforeGateways !== undefined) {
      const afterFirst = openFiles();
      const problem = afterFirst && wontFit(beforeGateways, afterFirst, network.centres.length);
      if (problem) throw new Error(problem);
    }
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
  console.log(legend);
  // Give the gateways their first bundle before the first tap.
  await new Promise((resolveWait) => setTimeout(resolveWait, 3000));
  const load = new SteadyLoad(targets, rate, seed);
  load.start();
  const totals = { taps: 0, released: 0, notReleased: 0, exits: 0 };
  const report = setInterval(() => {
    const w = load.window();
    totals.taps += w.taps;
    totals.released += w.released;
    totals.notReleased += w.notReleased;
    totals.exits += w.exits;
    console.log(
      `taps ${(w.taps / 10).toFixed(1)}/s, released ${w.released}, not released ${w.notReleased}, exits ${w.exits}, inside ${load.insideCount()}; card to lock p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms, max ${w.max.toFixed(1)} ms`,
    );
  }, 10_000);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(report);
    load.stop();
    const inside = load.insideCount();
    console.log(
      `Stopping: the people still inside the load centres (${inside} by this run's count) leave by the button…`,
    );
    // The board's count of each load centre, not only this load's own: a tap the gateway
    // granted at a door still open, or an exit it read as part of an entry, count there.
    const left = await load.drain(
      async (target) =>
        (
          await api.get<{ inside: number }>(
            `/centres/${encodeURIComponent(target.entrance.centre)}/occupancy`,
          )
        ).inside,
    );
    // The last exits' events and counts reach the cloud before the gateways go.
    await new Promise((resolveWait) => setTimeout(resolveWait, 2000));
    await fleet.stopAll();
    await devices.close();
    console.log(
      `Stopped after ${totals.taps} taps (${totals.released} released, ${totals.notReleased} not ` +
        `released) and ${totals.exits + left} exits; ${load.insideCount()} still counted inside. ` +
        "The gateways sent what the cloud acked; the rest waits in their outboxes (--data-dir).",
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
