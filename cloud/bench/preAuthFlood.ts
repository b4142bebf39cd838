import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { floodClient } from "../test/security/rawMqtt.js";

/*
 * The pre-authentication flood of issue 13, against a real cloud process started with the
 * systemd unit's heap flags: a dozen anonymous clients announce 256 MB CONNECT packets and
 * stream filler, wave after wave, for BENCH_FLOOD_SECONDS (default 20). Prints the cloud's
 * resident memory (VmRSS) before, its peak during the flood (VmHWM) and after.
 *
 *   npm run bench:flood -w cloud
 */

const seconds = Number(process.env.BENCH_FLOOD_SECONDS ?? 20);
const clients = 12;
const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

const dataDir = await mkdtemp(join(tmpdir(), "passerelle-flood-"));
const cloud = spawn(
  process.execPath,
  [
    "--max-old-space-size=96",
    "--max-semi-space-size=4",
    "--conditions=source",
    "--import",
    "tsx",
    main,
    "serve",
    "--data-dir",
    dataDir,
    "--http-port",
    "0",
    "--broker-port",
    "0",
  ],
  // Not loopback-exempt from the connection rate: the flood comes from 127.0.0.1 like a proxy.
  { stdio: ["ignore", "pipe", "inherit"] },
);
const port = await new Promise<number>((resolve, reject) => {
  let text = "";
  cloud.stdout.on("data", (chunk) => {
    text += chunk;
    const started = /"broker":(\d+)/.exec(text);
    if (started) resolve(Number(started[1]));
  });
  cloud.once("exit", (code) => reject(new Error(`cloud exited with ${code}`)));
});
const pid = cloud.pid as number;
await new Promise((resolve) => setTimeout(resolve, 2_000));
const before = await memoryOf(pid);

const started = Date.now();
let waves = 0;
let closedByBroker = 0;
let sentMiB = 0;
while (Date.now() - started < seconds * 1000) {
  const results = await Promise.all(
    Array.from({ length: clients }, () => floodClient(port, 256_000_000, 2_000)),
  );
  waves += 1;
  closedByBroker += results.filter((r) => r.closedByBroker).length;
  sentMiB += results.reduce((sum, r) => sum + r.sent, 0) / 2 ** 20;
}
const during = await memoryOf(pid);
await new Promise((resolve) => setTimeout(resolve, 2_000));
const after = await memoryOf(pid);
cloud.kill("SIGTERM");
await new Promise((resolve) => cloud.once("exit", resolve));
await rm(dataDir, { recursive: true, force: true });

console.log(
  JSON.stringify(
    {
      seconds,
      clients,
      waves,
      connections: waves * clients,
      closedByBroker,
      sentMiB: Math.round(sentMiB),
      rssBeforeMiB: Math.round(before.rss),
      peakRssMiB: Math.round(during.peak),
      rssAfterMiB: Math.round(after.rss),
    },
    null,
    2,
  ),
);
