/**
 * The demo's cloud, as a child process of the launcher (or of the end-to-end tests): starts the
 * cloud, seeds the demo network on first start, tells the parent where it listens, and stops
 * cleanly on SIGTERM/SIGINT or when the parent goes away.
 *
 *   PASSERELLE_DEMO_CLOUD='{"dataDir":...}' node --conditions=source --import tsx cloudProcess.ts
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type BrokerMode, type RunningCloud, serviceDeps, startCloud } from "@passerelle/cloud";
import { type CloudReady, type DemoCloudConfig, publicKeyFileName } from "./demoCloudConfig.js";
import { serveControl } from "./demoControl.js";
import { demoInfluxDatabase } from "./demoInflux.js";
import { readManifest, writeManifest } from "./demoManifest.js";
import { demoCentres } from "./demoNetwork.js";
import { seedDemoNetwork } from "./seedDemoNetwork.js";

function brokerMode(config: DemoCloudConfig): BrokerMode {
  if ("embeddedPort" in config.broker) {
    return { kind: "embedded", config: { host: "127.0.0.1", port: config.broker.embeddedPort } };
  }
  const { url, username, password } = config.broker;
  return { kind: "external", config: { url, username, password, reconnectPeriodMs: 1000 } };
}

async function seedOnce(cloud: RunningCloud, config: DemoCloudConfig) {
  if ((await readManifest(config.dataDir)) !== undefined) return { seeded: false, bookings: 0 };
  const centres = config.seed.centres.map((id) => {
    const centre = demoCentres.find((c) => c.id === id);
    if (centre === undefined) throw new Error(`unknown demo centre ${id}`);
    return centre;
  });
  // Seeding with silent hooks, then one recompilation: otherwise every badge issued would
  // recompile and republish every centre's bundle.
  const quiet = serviceDeps(cloud.store, { clock: cloud.services.deps.clock });
  const manifest = await seedDemoNetwork(quiet, { ...config.seed, centres });
  cloud.services.deps.hooks.onAccessRulesChanged(centres.map((c) => c.id));
  const { bookings, ...kept } = manifest;
  await writeManifest(config.dataDir, kept);
  return { seeded: true, bookings };
}

async function main(): Promise<void> {
  const raw = process.env.PASSERELLE_DEMO_CLOUD;
  if (raw === undefined) throw new Error("PASSERELLE_DEMO_CLOUD is not set");
  const config = JSON.parse(raw) as DemoCloudConfig;
  await mkdir(config.dataDir, { recursive: true });
  const cloud = await startCloud({
    dataDir: config.dataDir,
    ...(config.postgresUrl ? { postgresUrl: config.postgresUrl } : {}),
    http: { host: "127.0.0.1", port: config.httpPort },
    broker: brokerMode(config),
    logLevel: config.logLevel,
    ...(config.influxUrl
      ? {
          timeSeries: {
            client: "v1" as const,
            url: config.influxUrl,
            database: demoInfluxDatabase,
          },
        }
      : {}),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await cloud.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  process.on("disconnect", () => void stop());

  await writeFile(join(config.dataDir, publicKeyFileName), cloud.services.signingKey.publicKeyPem);
  const { seeded, bookings } = await seedOnce(cloud, config);
  serveControl(cloud);
  const ready: CloudReady = {
    type: "ready",
    httpUrl: cloud.httpUrl,
    brokerPort: cloud.brokerPort,
    seeded,
    bookings,
  };
  process.send?.(ready);
}

main().catch((error: Error) => {
  console.error(`passerelle demo cloud failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
