import type { GatewayEvent } from "@passerelle/protocol";
import { uuidv7 } from "@passerelle/protocol";
import { beforeEach, describe, expect, it } from "vitest";
import { AccessEventStore } from "../../../src/adapters/accessEventStore.js";
import { createMember } from "../../../src/domain/members.js";
import {
  type AccessEventFilter,
  AccessEventLog,
  type AccessEventRow,
  decodeEventCursor,
  encodeEventCursor,
} from "../../../src/events/accessEventLog.js";
import { csvLine } from "../../../src/http/routes/accessEvents/accessEventViews.js";
import type { Store } from "../../../src/store/openStore.js";
import { admin, centre, recordingDeps, type TestClock } from "../../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../../support/storeEngines.js";

/* The access log's queries, cursor and CSV rows, the same on SQLite and PostgreSQL. */

const engines = await provideEngines();
const t0 = Date.parse("2026-03-02T08:00:00Z");

describeOnEngines(engines, "access log queries", (harness) => {
  let store: Store;
  let clock: TestClock;
  let sink: AccessEventStore;
  let events: AccessEventLog;
  let seq: number;
  let annId: string;

  beforeEach(async () => {
    store = await harness.freshStore();
    const deps = recordingDeps(store);
    clock = deps.clock;
    await centre(deps, "redu");
    annId = (await createMember(deps, admin, { name: '=Ann, "the" boss', email: "ann@x.org" })).id;
    sink = new AccessEventStore(store, clock);
    events = new AccessEventLog(store);
    seq = 0;
  });

  function event(at: number, fields: Partial<GatewayEvent> = {}): GatewayEvent {
    seq += 1;
    return {
      id: uuidv7(at),
      seq,
      time: new Date(at).toISOString(),
      type: "access",
      centre: "redu",
      door: "redu-front",
      direction: "in",
      member: annId,
      decision: "granted",
      reason: "pass",
      ...fields,
    };
  }

  async function ingest(gatewayId: string, centreId: string, list: GatewayEvent[]) {
    await sink.storeBatch([{ gatewayId, centreId, events: list }]);
  }

  async function allPages(filter: AccessEventFilter, limit: number) {
    const seen: AccessEventRow[] = [];
    let page = await events.list(filter, { limit });
    seen.push(...page.rows);
    while (page.next) {
      const after = decodeEventCursor(encodeEventCursor(page.next));
      expect(after).toEqual(page.next);
      page = await events.list(filter, { limit, ...(after ? { after } : {}) });
      seen.push(...page.rows);
    }
    return seen;
  }

  it("filters by centre, member, door, outcome, reason and time, newest first", async () => {
    await ingest("gw-redu", "redu", [
      event(t0),
      event(t0 + 1000, { decision: "denied", reason: "revoked" }),
      event(t0 + 2000, { door: "redu-back" }),
      event(t0 + 3000, { member: "someone-else" }),
      event(t0 + 4000, {
        type: "door.forced-open",
        member: undefined,
        decision: undefined,
        reason: undefined,
        direction: undefined,
      }),
    ]);
    await ingest("gw-ciney", "ciney", [event(t0 + 500, { centre: "ciney" })]);
    const times = async (filter: AccessEventFilter) =>
      (await events.list(filter, { limit: 50 })).rows.map((r) => r.time - t0);

    expect(await times({})).toEqual([4000, 3000, 2000, 1000, 500, 0]);
    expect(await times({ centreIds: ["redu"] })).toEqual([4000, 3000, 2000, 1000, 0]);
    expect(await times({ centreIds: [] })).toEqual([]);
    expect(await times({ memberId: annId })).toEqual([2000, 1000, 500, 0]);
    expect(await times({ doorId: "redu-back" })).toEqual([2000]);
    expect(await times({ outcome: "denied" })).toEqual([1000]);
    expect(await times({ reason: "pass", centreIds: ["redu"] })).toEqual([3000, 2000, 0]);
    expect(await times({ type: "door.forced-open" })).toEqual([4000]);
    expect(await times({ from: t0 + 1000, to: t0 + 3000 })).toEqual([2000, 1000]);
    const [first] = (await events.list({ outcome: "denied" }, { limit: 1 })).rows;
    expect(first).toMatchObject({ member_name: '=Ann, "the" boss', centre_id: "redu", seq: 2 });
  });

  it("pages by an opaque cursor without repeating or skipping, even on equal times", async () => {
    // Five events in the same millisecond: the id breaks the tie.
    await ingest("gw-redu", "redu", [
      ...[1, 2, 3, 4, 5].map(() => ({ ...event(t0), id: uuidv7(t0 + seq) })),
      event(t0 - 1000),
      event(t0 + 1000),
    ]);
    const pages = await allPages({}, 2);
    expect(pages).toHaveLength(7);
    expect(new Set(pages.map((r) => r.id)).size).toBe(7);
    const order = pages.map((r) => [r.time, r.id] as const);
    const sorted = [...order].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : -1));
    expect(order).toEqual(sorted);
    expect(decodeEventCursor("bm90IGEgY3Vyc29y")).toBeUndefined(); // "not a cursor"
    expect(decodeEventCursor("%%%")).toBeUndefined();
  });

  it("keeps its place when events arrive between two pages", async () => {
    await ingest(
      "gw-redu",
      "redu",
      [0, 1, 2, 3].map((i) => event(t0 + i * 1000)),
    );
    const first = await events.list({}, { limit: 2 });
    expect(first.rows.map((r) => r.time - t0)).toEqual([3000, 2000]);
    // A new event, and a late one from an outbox, older than the page boundary.
    await ingest("gw-redu", "redu", [event(t0 + 9000), event(t0 + 500)]);
    const second = await events.list(
      {},
      { limit: 10, ...(first.next ? { after: first.next } : {}) },
    );
    expect(second.rows.map((r) => r.time - t0)).toEqual([1000, 500, 0]);
    expect(second.next).toBeNull();
  });

  it("scans page by page, lazily, and stops at the export's fixed end", async () => {
    clock.set(t0);
    await ingest(
      "gw-redu",
      "redu",
      [0, 1, 2, 3, 4].map((i) => event(t0 + i * 1000)),
    );
    const scan = events.scan({ receivedUpTo: t0 }, 2);
    const read: number[] = [];
    for (let i = 0; i < 2; i += 1) {
      const next = await scan.next();
      if (!next.done) read.push(next.value.time - t0);
    }
    // Stored after the export began: an old event within its bounds is read (the pages are
    // queried as the reader goes), one received later is not.
    await ingest("gw-redu", "redu", [event(t0 - 5000)]);
    clock.set(t0 + 60_000);
    await ingest("gw-redu", "redu", [event(t0 - 6000)]);
    for await (const row of scan) read.push(row.time - t0);
    expect(read).toEqual([4000, 3000, 2000, 1000, 0, -5000]);
  });

  it("writes CSV lines (RFC 4180) that a spreadsheet will not run as formulas", async () => {
    await ingest("gw-redu", "redu", [
      event(t0, { detail: "line one\nline, two" }),
      event(t0 + 1000, { detail: "@SUM(A1:A9)", member: "-2+3" }),
    ]);
    const [second, first] = (await events.list({}, { limit: 10 })).rows as AccessEventRow[];
    expect(csvLine(first as AccessEventRow)).toBe(
      `2026-03-02T08:00:00.000Z,${new Date(clock.now()).toISOString()},redu,gw-redu,1,access,redu-front,in,${annId},"'=Ann, ""the"" boss",granted,pass,,,${first?.id},"line one\nline, two"\r\n`,
    );
    const cells = csvLine(second as AccessEventRow).split(",");
    // An id is written as the JSON gives it (issue 13: hashes start with "-"); free text is guarded.
    expect(cells[8]).toBe("-2+3");
    expect(cells.at(-1)).toBe("'@SUM(A1:A9)\r\n");
  });
});

describe("access-log cursor text", () => {
  it("round-trips and is opaque base64url", () => {
    const text = encodeEventCursor({ time: t0, id: "0190f5c2-aaaa-7bbb-8ccc-123456789abc" });
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeEventCursor(text)).toEqual({
      time: t0,
      id: "0190f5c2-aaaa-7bbb-8ccc-123456789abc",
    });
    expect(decodeEventCursor(Buffer.from("-1.abc").toString("base64url"))).toBeUndefined();
  });
});
