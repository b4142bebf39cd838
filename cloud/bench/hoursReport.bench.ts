/**
 * The monthly hours report and the settlement report over 1 000 000 sessions of one month, on
 * SQLite and (when the testkit can provide one) PostgreSQL. Run: `npm run bench:hours` in
 * cloud/. Sessions, members and passes are bulk-inserted (not derived from events: this measures
 * the reports); the reports go through the same services as the API. Goal: under 2 s each.
 */
import { cpus, loadavg } from "node:os";
import { uuidv7 } from "@passerelle/protocol";
import { sql } from "kysely";
import { createCentre } from "../src/domain/centres.js";
import { type ServiceDeps, serviceDeps } from "../src/domain/serviceDeps.js";
import { hoursReport, settlementReport } from "../src/hours/monthReports.js";
import { refreshTotals } from "../src/hours/sessionTotals.js";
import type { SessionsTable } from "../src/store/database.js";
import type { Store } from "../src/store/openStore.js";
import { onEachEngine } from "./onEachEngine.js";

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 1_000_000);
const CENTRES = 100;
const MEMBERS = 20_000;
/** One member in four holds their home centre's own membership (not settled there). */
const LOCAL_MEMBER_EVERY = 4;
const RUNS = 3;
const MONTH = "2026-10";
const HOUR = 3_600_000;
const actor = "system:bench" as const;

interface Result {
  engine: string;
  measure: string;
  bestMs: number;
  medianMs: number;
  /** CPU this process spent (user + system) in the best run: the work in Node (and in SQLite,
   *  which runs in-process), whatever else the machine is doing at the time. */
  cpuMs: number;
  detail: string;
}

/** A small deterministic generator so every run (and engine) gets the same sessions. */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

async function insertChunks<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let start = 0; start < rows.length; start += size)
    await insert(rows.slice(start, start + size));
}

async function seed(deps: ServiceDeps): Promise<void> {
  const db = deps.store.db;
  const now = deps.clock.now();
  for (let c = 0; c < CENTRES; c += 1) {
    await createCentre(deps, actor, {
      id: `c${String(c).padStart(3, "0")}`,
      name: `Centre ${c}`,
      timeZone: "Europe/Brussels",
      openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: "07:00", close: "22:00" }],
      capacity: 60,
      hourlyRateCents: 300 + c,
    });
  }
  const centreOf = (m: number) => `c${String(m % CENTRES).padStart(3, "0")}`;
  const members = Array.from({ length: MEMBERS }, (_, m) => ({
    id: `m${String(m).padStart(6, "0")}`,
    name: `Member ${m}`,
    email: `m${m}@bench.example`,
    home_centre_id: centreOf(m),
    language: "fr",
    created_at: now,
    archived_at: null,
  }));
  await insertChunks(members, 500, (chunk) => db.insertInto("members").values(chunk).execute());
  const passes = members.map((member, m) => {
    const local = m % LOCAL_MEMBER_EVERY === 0;
    return {
      id: uuidv7(now),
      member_id: member.id,
      kind: local ? ("centre-membership" as const) : ("network" as const),
      owner_centre_id: local ? centreOf(m) : null,
      valid_centre_id: local ? centreOf(m) : null,
      valid_from: Date.parse("2026-01-01T00:00:00Z"),
      valid_to: Date.parse("2027-01-01T00:00:00Z"),
      credit_minutes: null,
      created_at: now,
      created_by: actor,
      revoked_at: null,
      revoked_by: null,
      revoke_reason: null,
    };
  });
  await insertChunks(passes, 500, (chunk) => db.insertInto("passes").values(chunk).execute());

  const random = generator(42);
  const monthStart = Date.parse("2026-10-01T06:00:00Z");
  let batch: SessionsTable[] = [];
  for (let s = 0; s < SESSIONS; s += 1) {
    const m = Math.floor(random() * MEMBERS);
    // Four visits in five at the home centre, the rest anywhere in the network.
    const centre = random() < 0.8 ? centreOf(m) : centreOf(Math.floor(random() * CENTRES));
    const day = Math.floor(random() * 31);
    const startedAt = monthStart + day * 24 * HOUR + Math.floor(random() * 8 * HOUR);
    const duration = Math.floor(random() * 8 * HOUR);
    const minutes = Math.ceil(duration / (15 * 60_000)) * 15;
    const id = `s${String(s).padStart(7, "0")}`;
    batch.push({
      id,
      member_id: `m${String(m).padStart(6, "0")}`,
      centre_id: centre,
      started_at: startedAt,
      ended_at: startedAt + duration,
      close_reason: "exit",
      rule_close_reason: "exit",
      last_seen_at: startedAt,
      held_until: startedAt + duration,
      confirmed: 1,
      duration_ms: duration,
      effective_ms: duration,
      open_event_id: id,
      close_event_id: `${id}x`,
      local_date: `2026-10-${String(day + 1).padStart(2, "0")}`,
      month: MONTH,
      computed_minutes: minutes,
      billable_minutes: minutes,
      adjustment_id: null,
    });
    if (batch.length === 500) {
      const rows = batch;
      batch = [];
      await db.insertInto("sessions").values(rows).execute();
    }
  }
  if (batch.length > 0) await db.insertInto("sessions").values(batch).execute();
  // What the rebuild keeps up to date per member, filled in one statement for the bulk load.
  await refreshTotals(db, [MONTH]);
}

async function time(
  work: () => Promise<unknown>,
): Promise<{ best: number; median: number; cpu: number }> {
  const runs: { wall: number; cpu: number }[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await work();
    const spent = process.cpuUsage(cpu);
    runs.push({ wall: performance.now() - started, cpu: (spent.user + spent.system) / 1000 });
  }
  runs.sort((a, b) => a.wall - b.wall);
  return {
    best: runs[0]?.wall ?? 0,
    median: runs[Math.floor(runs.length / 2)]?.wall ?? 0,
    cpu: runs[0]?.cpu ?? 0,
  };
}

async function benchEngine(engine: string, store: Store): Promise<Result[]> {
  // Mid-November: October is over (not provisional) and not closed, so it is computed live.
  const deps = serviceDeps(store, { clock: { now: () => Date.parse("2026-11-15T12:00:00Z") } });
  const seeding = performance.now();
  await seed(deps);
  // Fresh statistics, as a running server has them (SQLite: migrate() runs optimize).
  await sql`analyze`.execute(store.db);
  const seedSeconds = (performance.now() - seeding) / 1000;
  const detail = `${SESSIONS.toLocaleString("en")} sessions, ${MEMBERS} members, ${CENTRES} centres; seeded in ${seedSeconds.toFixed(0)} s`;

  let lines = 0;
  const hours = await time(async () => {
    lines = (await hoursReport(deps, MONTH, {})).lines.length;
  });
  let amount = 0;
  const settlement = await time(async () => {
    amount = (await settlementReport(deps, MONTH, {})).totalCents;
  });
  return [
    {
      engine,
      measure: "monthly hours report",
      bestMs: hours.best,
      cpuMs: hours.cpu,
      medianMs: hours.median,
      detail: `${lines} lines; ${detail}`,
    },
    {
      engine,
      measure: "monthly settlement report",
      bestMs: settlement.best,
      cpuMs: settlement.cpu,
      medianMs: settlement.median,
      detail: `total ${amount} cents`,
    },
  ];
}

async function main(): Promise<void> {
  const results = await onEachEngine(benchEngine);

  console.log(`\nhoursReport.bench — month ${MONTH}, ${RUNS} runs each (goal: under 2 s)`);
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} on ${cpus().length} CPUs`,
  );
  console.table(
    results.map((r) => ({
      engine: r.engine,
      measure: r.measure,
      "best ms": Math.round(r.bestMs),
      "median ms": Math.round(r.medianMs),
      "process CPU ms": Math.round(r.cpuMs),
      detail: r.detail,
    })),
  );
}

await main();
