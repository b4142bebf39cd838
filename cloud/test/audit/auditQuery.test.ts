import { beforeEach, expect, it } from "vitest";
import { AuditLog } from "../../src/audit/auditLog.js";
import { listAudit, scanAuditPages } from "../../src/audit/auditQuery.js";
import type { AuditRecord } from "../../src/audit/auditRecord.js";
import type { Store } from "../../src/store/openStore.js";
import { TestClock } from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();

function record(n: number): AuditRecord {
  return {
    at: Date.parse("2026-03-03T09:00:00Z") + n * 60_000,
    actor: n % 2 === 0 ? "gateway:redu-gw" : "user:marc",
    action: n % 2 === 0 ? "access" : "member.update",
    subject: `thing:${n}`,
    centreId: n % 3 === 0 ? "ciney" : "redu",
    memberId: `m${n % 4}`,
    doorId: n % 2 === 0 ? "redu-main" : null,
    outcome: n % 2 === 0 ? (n % 4 === 0 ? "granted" : "denied") : null,
    detail: { n },
  };
}

describeOnEngines(engines, "audit queries", (harness) => {
  let store: Store;
  let log: AuditLog;

  beforeEach(async () => {
    store = await harness.freshStore();
    log = new AuditLog(store, new TestClock(0));
    await store.write((trx) =>
      log.append(
        trx,
        Array.from({ length: 20 }, (_, n) => record(n)),
      ),
    );
  });

  it("pages newest first by id, each filter applied", async () => {
    const seen: number[] = [];
    let before: number | undefined;
    do {
      const page = await listAudit(
        store.db,
        { centreIds: ["redu"], outcome: "granted" },
        before === undefined ? { limit: 2 } : { limit: 2, before },
      );
      seen.push(...page.rows.map((row) => Number(row.id)));
      before = page.nextBefore ?? undefined;
    } while (before !== undefined);
    // n = 4, 8, 16 (granted, not a multiple of 3): ids n + 1.
    expect(seen).toEqual([17, 9, 5]);
    const window = await listAudit(
      store.db,
      { from: record(5).at, to: record(8).at, memberId: "m1", actor: "user:marc" },
      { limit: 50 },
    );
    expect(window.rows.map((row) => row.subject)).toEqual(["thing:5"]);
    expect((await listAudit(store.db, { centreIds: [] }, { limit: 50 })).rows).toEqual([]);
    expect((await listAudit(store.db, { doorId: "redu-main" }, { limit: 50 })).rows).toHaveLength(
      10,
    );
  });

  it("scans in chain order page by page, up to the head as it was when the scan began", async () => {
    const pages: number[][] = [];
    let appended = false;
    for await (const page of scanAuditPages(store.db, { centreIds: ["redu"] }, 4)) {
      pages.push(page.map((row) => Number(row.id)));
      if (!appended) {
        appended = true;
        await store.write((trx) => log.append(trx, [record(20), record(22)]));
      }
    }
    const expected = Array.from({ length: 20 }, (_, n) => n)
      .filter((n) => n % 3 !== 0)
      .map((n) => n + 1);
    expect(pages.flat()).toEqual(expected);
    expect(pages.map((page) => page.length)).toEqual([4, 4, 4, 1]);
  });
});
