/**
 * HTTP API throughput: requests/s of GET /api/v1/availability (authenticated, a centre with 50
 * desks and some bookings, a 1-day search) against a fastify hello-world route served from the
 * same process, side by side in one run. Goal: ratio over 0.5. Run: `npm run bench:http` in
 * cloud/ (BENCH_HTTP_SECONDS, default 3, and BENCH_HTTP_ROUNDS, default 3: the three
 * measurements are interleaved per round and medians reported, as a shared machine's load moves).
 *
 * The load comes from autocannon in a child process (bench/httpLoad.ts), so the generator does
 * not share the servers' event loop. "cached" repeats one query, as many clients browsing the
 * same day do (the AvailabilityCache answers for a few seconds); "uncached" gives every request
 * its own window, so each one is computed from the store.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import Fastify from "fastify";
import { DateTime } from "luxon";
import { issueToken } from "../src/domain/authTokens.js";
import { createCentre } from "../src/domain/centres.js";
import { createMember } from "../src/domain/members.js";
import { createPass } from "../src/domain/passes.js";
import { createResource } from "../src/domain/resources.js";
import type { ServiceDeps } from "../src/domain/serviceDeps.js";
import { createUser } from "../src/domain/users.js";
import { createBooking } from "../src/reservations/createBooking.js";
import { startCloud } from "../src/server.js";
import type { LoadResult, LoadSpec } from "./httpLoad.js";

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const CONNECTIONS = 10;
const DESKS = 50;
const BOOKINGS = 40;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const actor = "system:bench" as const;
const zone = "Europe/Brussels";

const run = promisify(execFile);
const loadScript = fileURLToPath(new URL("./httpLoad.ts", import.meta.url));

async function load(spec: LoadSpec): Promise<LoadResult> {
  const { stdout } = await run(
    process.execPath,
    ["--conditions=source", "--import", "tsx", loadScript, JSON.stringify(spec)],
    { maxBuffer: 1 << 20 },
  );
  const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as LoadResult;
  if (result.failed > 0) throw new Error(`${spec.url}: ${result.failed} failed requests`);
  return result;
}

/** A centre open 07:00–22:00 every day, 50 desks, a member with a pass, bookings tomorrow. */
async function seed(deps: ServiceDeps): Promise<{ token: string; day: DateTime }> {
  await createCentre(deps, actor, {
    id: "bench",
    name: "Bench centre",
    timeZone: zone,
    openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: "07:00", close: "22:00" }],
    capacity: 100,
    hourlyRateCents: 400,
  });
  for (let k = 0; k < DESKS; k += 1) {
    await createResource(deps, actor, {
      id: `bench-desk-${String(k).padStart(2, "0")}`,
      centreId: "bench",
      kind: "desk",
      name: `Desk ${k}`,
    });
  }
  const now = Date.now();
  const member = await createMember(deps, actor, { name: "Bench", email: "bench@example.org" });
  await createPass(deps, actor, {
    memberId: member.id,
    kind: "network",
    validFrom: now - DAY,
    validTo: now + 30 * DAY,
  });
  const day = DateTime.now().setZone(zone).plus({ days: 1 }).startOf("day");
  for (let b = 0; b < BOOKINGS; b += 1) {
    const start = day.set({ hour: 8 + (b % 2) * 5 });
    await createBooking(deps, actor, {
      resourceId: `bench-desk-${String(Math.floor(b / 2)).padStart(2, "0")}`,
      memberId: member.id,
      start: start.toMillis(),
      end: start.plus({ hours: 4 }).toMillis(),
    });
  }
  const user = await createUser(deps, actor, {
    email: "bench.login@example.org",
    password: "bench password, not secret",
    memberId: member.id,
  });
  const { token } = await issueToken(deps, actor, { userId: user.id, kind: "session" });
  return { token, day };
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), "passerelle-bench-http-"));
  const cloud = await startCloud({
    dataDir,
    http: { host: "127.0.0.1", port: 0 },
    broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
    logLevel: "silent",
  });
  const hello = Fastify({ logger: false });
  hello.get("/hello", async () => ({ hello: "world" }));
  const helloUrl = await hello.listen({ host: "127.0.0.1", port: 0 });
  try {
    const { token, day } = await seed(cloud.services.deps);
    const headers = { authorization: `Bearer ${token}` };
    const query = (from: string, to: string) =>
      `/api/v1/availability?centreId=bench&kind=desk&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const cachedPath = query(day.toISO() ?? "", day.plus({ days: 1 }).toISO() ?? "");

    // Sanity: the measured route answers what it should (50 desks, the booked ones carved).
    const check = await fetch(`${cloud.httpUrl}${cachedPath}`, { headers });
    const text = await check.text();
    const page = JSON.parse(text) as { items: { slots: unknown[] }[] };
    if (check.status !== 200 || page.items.length !== DESKS) {
      throw new Error(`availability answered ${check.status} with ${page.items?.length} desks`);
    }

    const common = { connections: CONNECTIONS, seconds: SECONDS };
    // Warm-up: JIT, statement caches, connections.
    await load({ ...common, seconds: 1, url: `${helloUrl}/hello` });
    await load({ ...common, seconds: 1, url: `${cloud.httpUrl}${cachedPath}`, headers });

    const rounds: {
      hello: LoadResult;
      me: LoadResult;
      cached: LoadResult;
      gzipped: LoadResult;
      uncached: LoadResult;
    }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // Interleaved, so a change in the machine's load hits both sides of each ratio alike.
      const hello = await load({ ...common, url: `${helloUrl}/hello` });
      // The cloud's floor for an authenticated request: token lookup, principal, hooks.
      const me = await load({ ...common, url: `${cloud.httpUrl}/api/v1/me`, headers });
      const cached = await load({ ...common, url: `${cloud.httpUrl}${cachedPath}`, headers });
      // As a browser asks: the cached page's gzip form, made once per page.
      const gzipped = await load({
        ...common,
        url: `${cloud.httpUrl}${cachedPath}`,
        headers: { ...headers, "accept-encoding": "gzip, deflate, br" },
      });
      const uncached = await load({
        ...common,
        url: `${cloud.httpUrl}${cachedPath}`,
        headers,
        vary: {
          template: "/api/v1/availability?centreId=bench&kind=desk&from={from}&to={to}",
          fromMs: day.toMillis() + round * 10_000_000,
          spanMs: DAY,
          stepMs: 1000,
          count: 1_000_000,
        },
      });
      rounds.push({ hello, me, cached, gzipped, uncached });
    }

    const median = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    };
    const perSecond = (pick: (r: (typeof rounds)[number]) => LoadResult) =>
      median(rounds.map((r) => pick(r).requestsPerSecond));
    const p99 = (pick: (r: (typeof rounds)[number]) => LoadResult) =>
      median(rounds.map((r) => pick(r).p99Ms));
    const line = (name: string, pick: (r: (typeof rounds)[number]) => LoadResult) =>
      `  ${name.padEnd(34)} ${perSecond(pick).toFixed(0).padStart(7)} req/s   p99 ${String(p99(pick)).padStart(4)} ms` +
      `   (rounds: ${rounds.map((r) => pick(r).requestsPerSecond.toFixed(0)).join(", ")})`;
    console.log(
      `HTTP API: autocannon in a child process, ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${SECONDS} s; ` +
        `cloud on SQLite, ${DESKS} desks, ${BOOKINGS} bookings, 1-day search (${text.length} bytes); ` +
        `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}, load average ${loadavg()[0]?.toFixed(1)}`,
    );
    console.log(line("fastify hello-world", (r) => r.hello));
    console.log(line("GET /me (authentication only)", (r) => r.me));
    console.log(line("GET /availability (cached)", (r) => r.cached));
    console.log(line("GET /availability (cached, gzip)", (r) => r.gzipped));
    console.log(line("GET /availability (each uncached)", (r) => r.uncached));
    const ratio = median(rounds.map((r) => r.cached.requestsPerSecond / r.hello.requestsPerSecond));
    const gzipRatio = median(
      rounds.map((r) => r.gzipped.requestsPerSecond / r.hello.requestsPerSecond),
    );
    const meRatio = median(rounds.map((r) => r.me.requestsPerSecond / r.hello.requestsPerSecond));
    const uncachedRatio = median(
      rounds.map((r) => r.uncached.requestsPerSecond / r.hello.requestsPerSecond),
    );
    console.log(
      `  ratio availability / hello-world (median of rounds): ${ratio.toFixed(2)} cached, ${gzipRatio.toFixed(2)} cached with gzip, ${uncachedRatio.toFixed(2)} uncached (goal > 0.5); GET /me / hello-world: ${meRatio.toFixed(2)}`,
    );
  } finally {
    await hello.close();
    await cloud.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
