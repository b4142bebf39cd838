/**
 * `npm start`: the whole network on one machine — the cloud (SQLite and embedded aedes unless
 * told otherwise) in a child process, the demo network seeded on first start, one gateway
 * process per centre, the simulated hardware on a device server, and the people's days.
 * Ctrl-C (SIGINT) or SIGTERM: people stop, then gateways, then the cloud. See docs/demo.md.
 */
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { writeMosquittoPasswordEntry } from "@passerelle/testkit";
import { DeviceHub } from "../devices/deviceHub.js";
import { startDeviceServer } from "../devices/deviceServer.js";
import { addEntrance, type SimulatedEntrance } from "../doors/simulatedEntrance.js";
import { bridgeReaderToVpcd, vpcdListening } from "../nfc/readerToVpcd.js";
import { localTimeToday } from "../scenario/localDay.js";
import { ScenarioClock } from "../scenario/scenarioClock.js";
import { ScenarioRunner } from "../scenario/scenarioRunner.js";
import { CloudChild } from "./cloudChild.js";
import { demoBanner } from "./demoBanner.js";
import { DemoBookings } from "./demoBookings.js";
import { publicKeyFileName } from "./demoCloudConfig.js";
import { influxBannerLines, startDemoInflux } from "./demoInflux.js";
import { type DemoManifest, readManifest } from "./demoManifest.js";
import { pickCentres } from "./demoNetwork.js";
import { GatewayFleet } from "./gatewayFleet.js";
import { waitForGateways } from "./gatewaysReady.js";
import { type LauncherOptions, launcherUsage, parseLauncherOptions } from "./launcherOptions.js";
import { startOsdpEntrances } from "./osdpEntrances.js";
import { choosePort } from "./portChoice.js";
import { removeRunningDemo, writeRunningDemo } from "./runningDemo.js";
import { Shutdown } from "./shutdown.js";

const cloudServiceUser = "passerelle-cloud";

/** Whether the gateway workspace can load nfc-pcsc (an optional, native dependency). */
function gatewayHasPcscModule(): boolean {
  try {
    createRequire(new URL("../../../gateway/package.json", import.meta.url)).resolve("nfc-pcsc");
    return true;
  } catch {
    return false;
  }
}

/** The cloud's login from --broker-url, and the URL the gateways use (without it). */
function externalBroker(url: string) {
  const parsed = new URL(url);
  const username = decodeURIComponent(parsed.username) || cloudServiceUser;
  const password = decodeURIComponent(parsed.password);
  if (password === "") throw new Error("--broker-url: give the cloud's password in the URL");
  parsed.username = "";
  parsed.password = "";
  return { url: parsed.toString().replace(/\/$/, ""), username, password };
}

/** Options that only count at the first start of a data directory, given again on a resume. */
function resumeNotes(manifest: DemoManifest, args: readonly string[]): string[] {
  const seededWith: Record<string, string> = {
    "--centres": String(manifest.centres.length),
    "--people": String(manifest.people.length),
    "--seed": manifest.seed,
    "--opening-hours": manifest.openingHours,
  };
  return Object.entries(seededWith)
    .filter(([flag]) => args.some((arg) => arg === flag || arg.startsWith(`${flag}=`)))
    .map(
      ([flag, value]) =>
        `${flag} is ignored: this data directory was seeded with ${flag.slice(2)} ${value} (use another --data-dir for a new network)`,
    );
}

async function run(options: LauncherOptions, shutdown: Shutdown): Promise<void> {
  if (options.readers === "pcscd" && !gatewayHasPcscModule()) {
    throw new Error(
      "--readers pcscd: the gateway's pcsc adapter needs the optional package nfc-pcsc, which " +
        "is not installed (it builds against libpcsclite-dev: apt install libpcsclite-dev pcscd, " +
        "then npm ci again)",
    );
  }
  if (options.readers === "pcscd" && !(await vpcdListening("127.0.0.1", options.vpcdPort))) {
    throw new Error(
      `--readers pcscd: nothing listens on vpcd's port 127.0.0.1:${options.vpcdPort}. Start ` +
        "pcscd with the vsmartcard-vpcd driver (Debian: apt install pcscd vsmartcard-vpcd), " +
        "or leave --readers out for in-process readers",
    );
  }
  await mkdir(join(options.dataDir, "gateways"), { recursive: true, mode: 0o700 });
  const existing = await readManifest(options.dataDir);
  const http = await choosePort(options.httpPort);
  const devicePort = await choosePort(options.devicePort);
  const mqtt = options.brokerUrl === undefined ? await choosePort(options.mqttPort) : undefined;
  const external = options.brokerUrl === undefined ? undefined : externalBroker(options.brokerUrl);

  const influx = options.noInflux
    ? undefined
    : await startDemoInflux(options.dataDir, options.influxUrl);
  // Stopped after the cloud (higher number: later), which flushes its queue to it first.
  if (influx !== undefined) shutdown.add(5, "InfluxDB", () => influx.stop());

  const centres = pickCentres(options.centres);
  const cloud = new CloudChild(
    {
      dataDir: options.dataDir,
      httpPort: http.port,
      broker: external ?? { embeddedPort: mqtt?.port ?? 0 },
      ...(options.postgresUrl ? { postgresUrl: options.postgresUrl } : {}),
      logLevel: options.logLevel,
      ...(influx ? { influxUrl: influx.url } : {}),
      seed: {
        centres: centres.map((c) => c.id),
        people: options.people,
        seed: options.seed,
        openingHours: options.openingHours,
      },
    },
    join(options.dataDir, "cloud.log"),
  );
  shutdown.add(4, "the cloud", () => cloud.stop());
  console.log(
    existing
      ? `Resuming the demo in ${options.dataDir}…`
      : `Seeding the demo network into ${options.dataDir} (first start, about a minute)…`,
  );
  const ready = await cloud.start();
  const manifest = await readManifest(options.dataDir);
  if (manifest === undefined) throw new Error("the cloud started but wrote no demo manifest");
  if (existing !== undefined) {
    for (const note of resumeNotes(manifest, process.argv.slice(2))) console.log(`Note: ${note}`);
  }

  const brokerUrl = external?.url ?? `mqtt://127.0.0.1:${ready.brokerPort}`;
  if (external !== undefined) {
    const passwd = join(options.dataDir, "mosquitto.passwd");
    for (const centre of manifest.centres) {
      await writeMosquittoPasswordEntry(passwd, centre.gatewayId, centre.gatewaySecret);
    }
    console.log(`Gateway logins for your broker's password file: ${passwd}`);
  }

  const hub = new DeviceHub();
  const entrances = new Map<string, SimulatedEntrance>();
  for (const centre of manifest.centres) {
    entrances.set(centre.id, addEntrance(hub, centre.id, centre.exitKind ?? "exit-button"));
  }
  const pcscCentre =
    options.readers === "pcscd" ? (options.pcscCentre ?? manifest.centres[0]?.id) : undefined;
  if (pcscCentre !== undefined) {
    const entrance = entrances.get(pcscCentre);
    if (entrance === undefined)
      throw new Error(`--pcsc-centre: no centre ${pcscCentre} in this demo`);
    bridgeReaderToVpcd(entrance.reader, {
      port: options.vpcdPort,
      onError: (error) => console.error(`vpcd: ${error.message}`),
    });
    console.log(`${pcscCentre}: cards go through pcscd (vpcd port ${options.vpcdPort}).`);
  }
  const osdpReaders = await startOsdpEntrances(
    manifest.centres.map((c) => c.id).filter((id) => id !== pcscCentre),
    entrances,
    options.dataDir,
    shutdown,
  );
  const devices = await startDeviceServer(hub, { port: devicePort.port });
  shutdown.add(3, "the device server", () => devices.close());
  const fleet = new GatewayFleet({
    directory: join(options.dataDir, "gateways"),
    brokerUrl,
    publicKeyFile: join(options.dataDir, publicKeyFileName),
    deviceEndpoint: devices.endpoint,
    logLevel: options.logLevel,
    ...(pcscCentre ? { pcscCentre } : {}),
    osdpReaders,
    onUnexpectedExit: (gatewayId, code, lastOutput) =>
      console.error(`Gateway ${gatewayId} exited (code ${code}): ${lastOutput}`),
  });
  process.once("exit", () => fleet.killAll());
  shutdown.add(2, "the gateways", () => fleet.stopAll());
  for (const centre of manifest.centres) fleet.start(centre);
  const late = await waitForGateways(
    cloud,
    manifest.centres.map((c) => c.gatewayId),
    60_000,
  );
  if (late.length > 0) console.log(`Still starting (see their logs): ${late.join(", ")}`);

  const timeZone = "Europe/Brussels";
  const simStart =
    options.speed === 1 ? Date.now() : localTimeToday(Date.now(), timeZone, options.dayStart);
  const clock = new ScenarioClock(simStart, options.speed);
  const bookings = new DemoBookings({ cloud, manifest, clock, timeZone });
  const runner = new ScenarioRunner({
    people: manifest.people,
    entrances,
    clock,
    seed: manifest.seed,
    timeZone,
    onDayPlanned: (steps) => bookings.bookDay(steps),
  });
  runner.start();
  shutdown.add(1, "the people", () => runner.stop());
  await writeRunningDemo(options.dataDir, {
    pid: process.pid,
    httpUrl: ready.httpUrl,
    brokerUrl,
    startedAt: new Date().toISOString(),
  });
  shutdown.add(0, "the running file", () => removeRunningDemo(options.dataDir));

  console.log(
    demoBanner({
      manifest,
      resumed: !ready.seeded,
      bookings: ready.bookings,
      dataDir: options.dataDir,
      httpUrl: ready.httpUrl,
      brokerUrl,
      deviceEndpoint: devices.endpoint,
      ports: [
        { name: "HTTP", ...http },
        { name: "devices", ...devicePort },
        ...(mqtt ? [{ name: "MQTT", ...mqtt }] : []),
      ],
      speed: options.speed,
    }),
  );
  for (const line of influxBannerLines(influx, options.noInflux)) console.log(line);
  if (shutdown.started) return;
  const progress = setInterval(() => {
    const time = new Date(clock.now()).toLocaleTimeString("fr-BE", { timeZone });
    const counts = Object.entries(runner.stats())
      .map(([key, count]) => `${key} ${count}`)
      .join(", ");
    const inside = runner.whoIsInside().size;
    console.log(
      `[simulated ${time}] inside ${inside}; ${counts || "waiting for the first arrivals"}; ${bookings.summary()}`,
    );
  }, 30_000);
  shutdown.add(0, "the progress line", async () => clearInterval(progress));
}

let options: LauncherOptions;
try {
  options = parseLauncherOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${launcherUsage}`);
  process.exit(2);
}
if (options.help) {
  console.log(launcherUsage);
  process.exit(0);
}
// Installed before anything starts: a Ctrl-C during the start stops what already runs, in order.
const shutdown = new Shutdown();
shutdown.onSignals(
  (signal) => console.log(`\n${signal}: stopping people, then gateways, then the cloud…`),
  () => {
    console.log(`Stopped. Data kept in ${options.dataDir}; npm start resumes.`);
    process.exit(0);
  },
);
run(options, shutdown).catch(async (error: Error) => {
  // A start cut short by Ctrl-C fails its pending steps: that is the stop, not an error.
  if (shutdown.started) return;
  console.error(`passerelle demo failed: ${error.message}`);
  await shutdown.run();
  process.exit(1);
});
