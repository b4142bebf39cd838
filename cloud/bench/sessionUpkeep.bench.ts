/**
 * Presence-session upkeep per committed ingest batch, on a network of many centres (issue 18:
 * at saturation it was 53 % of the cloud's busy time, inserting the events 4 %). Each round
 * commits one batch of entries and exits from 20 centres through the ingest's sink (events +
 * their audit entries, as the cloud does), then lets the session updater rebuild what it
 * touched. The figure is the ratio upkeep ÷ insert, in the same run, on the same store. Run:
 * `npm run bench:upkeep` in cloud/ (BENCH_CENTRES, BENCH_ROUNDS to change the sizes). It uses
 * only interfaces that exist before and after issue 18, so the same file measures both.
 */
import { cpus, loadavg } from "node:os";
import { type GatewayEvent, uuidv7 } from "@passerelle/protocol";
import { pino } from "pino";
import { AccessEventStore } from "../src/adapters/accessEventStore.js";
import { AuditLog } from "../src/audit/auditLog.js";
import { createCentre } from "../src/domain/centres.js";
import { type ServiceDeps, serviceDeps } from "../src/domain/serviceDeps.js";
import { SessionUpdater } from "../src/hours/sessionUpdater.js";
import type { GatewayEventBatch } from "../src/ports/eventSink.js";
import type { Store } from "../src/store/openStore.js";
import { onEachEngine } from "./onEachEngine.js";

const CENTRES = Number(process.env.BENCH_CENTRES ?? 1_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const CENTRES_PER_BATCH = 20;
const PEOPLE_PER_CENTRE = 10;
const actor = "system:bench" as const;
const allDay = [{ days: [1, 2, 3, 4, 5, 6, 7], open: "00:00", close: "24:00" }];

interface Result {
  engine: string;
  insertMs: number;
  upkeepMs: number;
  ratio: number;
}

const centreId = (index: number) => `c${String(index).padStart(4, "0")}`;

async function seed(deps: ServiceDeps): Promise<void> {
  for (let index = 0; index < CENTRES; index += 1) {
    await createCentre(deps, actor, {
      id: centreId(index),
      name: `Centre ${index}`,
      timeZone: "Europe/Brussels",
      openingHours: allDay,
      capacity: 40,
      hourlyRateCents: 400,
    });
  }
}

/**
 * Round `round`: at 20 centres (a different slice each round), each of their people either
 * badges in or leaves by the exit reader, one minute after the previous round.
 */
function batches(round: number, start: number, seqs: Map<string, number>): GatewayEventBatch[] {
  const at = start + round * 60_000;
  const result: GatewayEventBatch[] = [];
  for (let k = 0; k < CENTRES_PER_BATCH; k += 1) {
    const centre = centreId((round * CENTRES_PER_BATCH + k) % Math.min(CENTRES, 200));
    const gatewayId = `gw-${centre}`;
    const events: GatewayEvent[] = [];
    for (let person = 0; person < PEOPLE_PER_CENTRE; person += 1) {
      const seq = (seqs.get(gatewayId) ?? 0) + 1;
      seqs.set(gatewayId, seq);
      const entering = Math.floor(round / 10) % 2 === 0;
      events.push({
        id: uuidv7(at + person),
        seq,
        time: new Date(at + person * 1000).toISOString(),
        type: "access",
        centre,
        door: `${centre}-door`,
        direction: entering ? "in" : "out",
        credential: "AAAAAAAAAAAAAAAAAAAAAA",
        member: `m-${centre}-${person}`,
        decision: "granted",
        reason: "pass",
      });
    }
    result.push({ gatewayId, centreId: centre, events });
  }
  return result;
}

async function bench(engine: string, store: Store): Promise<Result[]> {
  const start = Date.now() - 2 * 3_600_000;
  let now = start;
  const clock = { now: () => now };
  const logger = pino({ level: "silent" });
  const audit = new AuditLog(store, clock);
  const deps = serviceDeps(store, {
    logger,
    clock,
    hooks: { onAccessRulesChanged: () => {}, audit: audit.recordChange },
  });
  await seed(deps);
  const sink = new AccessEventStore(store, clock, audit);
  const updater = new SessionUpdater(deps);
  const seqs = new Map<string, number>();
  let insertMs = 0;
  let upkeepMs = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const roundBatches = batches(round, start, seqs);
    now = start + round * 60_000 + 30_000;
    const t0 = performance.now();
    await sink.storeBatch(roundBatches);
    const t1 = performance.now();
    for (const batch of roundBatches) updater.onCommitted(batch);
    await updater.idle();
    const t2 = performance.now();
    insertMs += t1 - t0;
    upkeepMs += t2 - t1;
  }
  return [{ engine, insertMs, upkeepMs, ratio: upkeepMs / insertMs }];
}

const results = await onEachEngine(bench);
console.log(
  `session upkeep per committed batch: ${CENTRES} centres, ${ROUNDS} rounds of ` +
    `${CENTRES_PER_BATCH} centres x ${PEOPLE_PER_CENTRE} events; ${cpus().length} CPUs, ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
);
for (const r of results) {
  console.log(
    `${r.engine.padEnd(24)} insert ${(r.insertMs / ROUNDS).toFixed(1)} ms/batch, upkeep ` +
      `${(r.upkeepMs / ROUNDS).toFixed(1)} ms/batch, upkeep/insert ${r.ratio.toFixed(2)}`,
  );
}
