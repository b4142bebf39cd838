/**
 * Bookings created per second and availability queries per second, on SQLite and (when the
 * testkit can provide one) PostgreSQL. Run: `npm run bench:bookings` in cloud/.
 * The store is real (WAL + synchronous=FULL on SQLite, a pool of 10 on PostgreSQL), in a temp
 * directory / fresh database; setup rows are bulk-inserted, only the measured calls go through
 * the services.
 */
import { uuidv7 } from "@passerelle/protocol";
import { createCentre } from "../src/domain/centres.js";
import { type ServiceDeps, serviceDeps } from "../src/domain/serviceDeps.js";
import { searchAvailability } from "../src/reservations/availability.js";
import { createBooking } from "../src/reservations/createBooking.js";
import type { Store } from "../src/store/openStore.js";
import { onEachEngine } from "./onEachEngine.js";

const DESKS = 200;
const MEMBERS = 1000;
const BOOKINGS = 2000;
const CONCURRENCY = 50;
const QUERY_SECONDS = 3;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const actor = "system:bench" as const;

interface Result {
  engine: string;
  measure: string;
  perSecond: number;
  detail: string;
}

async function seed(
  deps: ServiceDeps,
  centres: number,
): Promise<{ desks: string[]; members: string[] }> {
  const now = deps.clock.now();
  const desks: string[] = [];
  for (let c = 0; c < centres; c += 1) {
    const id = `bench-${c}`;
    await createCentre(deps, actor, {
      id,
      name: id,
      timeZone: "Europe/Brussels",
      openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: "07:00", close: "22:00" }],
      capacity: 500,
      hourlyRateCents: 400,
    });
    const rows = Array.from({ length: DESKS }, (_, k) => ({
      id: `${id}-desk-${String(k).padStart(4, "0")}`,
      centre_id: id,
      kind: "desk" as const,
      name: `Desk ${k}`,
      capacity: 1,
      created_at: now,
      archived_at: null,
    }));
    await deps.store.db.insertInto("resources").values(rows).execute();
    if (c === 0) desks.push(...rows.map((row) => row.id));
  }
  const members = Array.from({ length: MEMBERS }, () => uuidv7());
  for (let start = 0; start < MEMBERS; start += 200) {
    const chunk = members.slice(start, start + 200);
    await deps.store.db
      .insertInto("members")
      .values(
        chunk.map((id) => ({
          id,
          name: id,
          email: `${id}@bench.example`,
          home_centre_id: null,
          language: "fr",
          created_at: now,
          archived_at: null,
        })),
      )
      .execute();
    await deps.store.db
      .insertInto("passes")
      .values(
        chunk.map((id) => ({
          id: uuidv7(),
          member_id: id,
          kind: "network" as const,
          owner_centre_id: null,
          valid_centre_id: null,
          valid_from: now - DAY,
          valid_to: now + 400 * DAY,
          credit_minutes: null,
          created_at: now,
          created_by: actor,
          revoked_at: null,
          revoked_by: null,
          revoke_reason: null,
        })),
      )
      .execute();
  }
  return { desks, members };
}

/** 10:00 local on the n-th day from now, as a start instant; each booking is one hour. */
function slot(firstDay: number, n: number): { start: number; end: number } {
  const day = new Date(firstDay + Math.floor(n / 8) * DAY);
  const start = day.getTime() + (n % 8) * HOUR;
  return { start, end: start + HOUR };
}

async function benchEngine(engine: string, store: Store): Promise<Result[]> {
  const deps = serviceDeps(store);
  const { desks, members } = await seed(deps, 5);
  // Tomorrow 09:00 UTC (10:00 or 11:00 in Brussels): inside 07:00–22:00 local all year.
  const tomorrow = new Date(Date.now() + DAY);
  const firstDay = Date.UTC(
    tomorrow.getUTCFullYear(),
    tomorrow.getUTCMonth(),
    tomorrow.getUTCDate(),
    9,
  );
  const results: Result[] = [];
  console.error(`${engine}: seeded, measuring`);

  // Sequential: one request at a time, each a full check + insert transaction.
  let started = performance.now();
  for (let k = 0; k < BOOKINGS; k += 1) {
    const member = members[k % MEMBERS] as string;
    await createBooking(deps, actor, {
      resourceId: desks[k % DESKS] as string,
      memberId: member,
      ...slot(firstDay, Math.floor(k / DESKS)),
    });
  }
  let seconds = (performance.now() - started) / 1000;
  results.push({
    engine,
    measure: "bookings created/s (sequential)",
    perSecond: BOOKINGS / seconds,
    detail: `${BOOKINGS} bookings over ${DESKS} desks`,
  });

  // Concurrent: CONCURRENCY requests in flight, on other days.
  const offset = Math.ceil(BOOKINGS / DESKS) + 8;
  started = performance.now();
  for (let k = 0; k < BOOKINGS; k += CONCURRENCY) {
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, BOOKINGS - k) }, (_, j) => {
        const n = k + j;
        return createBooking(deps, actor, {
          resourceId: desks[n % DESKS] as string,
          memberId: members[n % MEMBERS] as string,
          ...slot(firstDay, offset + Math.floor(n / DESKS)),
        });
      }),
    );
  }
  seconds = (performance.now() - started) / 1000;
  results.push({
    engine,
    measure: `bookings created/s (${CONCURRENCY} in flight)`,
    perSecond: BOOKINGS / seconds,
    detail: `${BOOKINGS} bookings`,
  });

  const queries: Array<[string, Parameters<typeof searchAvailability>[1]]> = [
    [
      "availability queries/s (1 centre, 1 day, 50 desks)",
      {
        centreId: "bench-0",
        kind: "desk",
        from: firstDay - 9 * HOUR,
        to: firstDay + 15 * HOUR,
        limit: 50,
      },
    ],
    [
      "availability queries/s (network, 7 days, 50 desks)",
      { kind: "desk", from: firstDay - 9 * HOUR, to: firstDay + 7 * DAY, limit: 50 },
    ],
  ];
  for (const [measure, query] of queries) {
    let count = 0;
    started = performance.now();
    const deadline = started + QUERY_SECONDS * 1000;
    while (performance.now() < deadline) {
      await searchAvailability(deps, query);
      count += 1;
    }
    seconds = (performance.now() - started) / 1000;
    results.push({ engine, measure, perSecond: count / seconds, detail: `${count} queries` });
  }
  return results;
}

async function main(): Promise<void> {
  const results = await onEachEngine(benchEngine);

  console.log("\nbookings.bench — store, domain and reservations");
  console.table(
    results.map((r) => ({
      engine: r.engine,
      measure: r.measure,
      "per second": Math.round(r.perSecond),
      detail: r.detail,
    })),
  );
}

await main();
