import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { closeMonth } from "../../src/hours/monthClose.js";
import { runArchive } from "../../src/housekeeping/runArchive.js";
import { HoursWorld } from "../hours/hoursWorld.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

/*
 * A late event dated in an archived month (a gateway offline for months, a clock reset) is
 * stored, but the session rebuild it triggers starts at the archive horizon: rebuilding from
 * before it would delete sessions whose events are no longer in the database.
 */

const engines = await provideEngines();
let outDir: string;
beforeEach(async () => {
  outDir = await mkdtemp(join(tmpdir(), "passerelle-horizon-"));
});
afterEach(() => rm(outDir, { recursive: true, force: true }));

describeOnEngines(engines, "archive horizon", (harness) => {
  it("keeps the sessions of archived months when a late event dated before them arrives", async () => {
    const store = await harness.freshStore();
    const world = await HoursWorld.create(store, "2026-12-03T09:00:00Z");
    await world.centre("redu");
    const out = { direction: "out" } as const;
    await world.deliver(
      world.badge("ana", "redu", "2025-01-15T09:00+01:00"),
      world.badge("ana", "redu", "2025-01-15T11:00+01:00", out),
      world.badge("ana", "redu", "2026-11-23T09:00+01:00"),
      world.badge("ana", "redu", "2026-11-23T10:00+01:00", out),
    );
    expect(await world.summary("ana")).toHaveLength(2);
    await closeMonth(world.deps, "user:admin", "2025-01");
    const report = await runArchive({
      store,
      outDir,
      rules: { accessEventMonths: 3, auditMonths: 60 },
      now: Date.parse("2026-12-03T10:00:00Z"),
      actor: "cli:test",
    });
    expect(report.eventMonths).toEqual(["2025-01"]);

    // Five days before the archived session: a rebuild from there would find none of its events.
    await world.deliver(world.badge("ana", "redu", "2025-01-10T09:00+01:00"));
    const sessions = await world.sessions("ana");
    expect(sessions.map((s) => new Date(Number(s.started_at)).toISOString())).toEqual([
      "2025-01-15T08:00:00.000Z",
      "2026-11-23T08:00:00.000Z",
    ]);
    // And the rebuild it triggered did not fail (a failed one would retry for ever).
    expect(world.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
    // The late event itself is kept: the access log shows it.
    const late = await store.db
      .selectFrom("access_events")
      .select("time")
      .where("time", "=", Date.parse("2025-01-10T08:00:00Z"))
      .execute();
    expect(late).toHaveLength(1);
  });
});
