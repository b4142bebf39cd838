import { afterAll, beforeAll, expect, it } from "vitest";
import { createMember } from "../../src/domain/members.js";
import { createPass } from "../../src/domain/passes.js";
import { describeCloudOnEngines } from "../support/cloudEngines.js";
import { admin } from "../support/fixtures.js";
import type { TestCloud } from "../support/httpFixture.js";
import { provideEngines } from "../support/storeEngines.js";
import { upcomingWeekday } from "./nextWeekday.js";

/*
 * Booking rules a worker expects (issue 16 part 5), over HTTP on SQLite and PostgreSQL: one
 * person never holds two overlapping bookings of one resource, even a zone with seats left and
 * even when both requests arrive at once; a recurring series says which occurrences collide.
 */
const engines = await provideEngines();
afterAll(async () => {
  for (const engine of engines) await engine.cleanup();
});

describeCloudOnEngines(engines, "a member cannot double-book a resource", (start) => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await start();
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  const book = (token: string, resourceId: string, from: string, to: string, memberId?: string) =>
    t.call("POST", "/bookings", {
      token,
      body: { resourceId, start: from, end: to, ...(memberId ? { memberId } : {}) },
    });

  it("refuses a second overlapping booking of the same zone by the same member", async () => {
    const [nine, noon, ten, eleven] = [9, 12, 10, 11].map((h) => upcomingWeekday(h, 0, 1));
    const first = await book(t.tokens.worker, "redu-open-space", nine as string, noon as string);
    expect(first.status).toBe(201);
    const again = await book(t.tokens.worker, "redu-open-space", ten as string, eleven as string);
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already holds a booking of Open space/);
    // The zone still has seats: someone else gets one at the same time.
    const carla = await createMember(t.deps, admin, {
      name: "Carla",
      email: "carla@example.org",
      homeCentreId: t.ids.centre,
    });
    await createPass(t.deps, admin, {
      memberId: carla.id,
      kind: "network",
      validFrom: Date.now() - 86_400_000,
      validTo: Date.now() + 60 * 86_400_000,
    });
    const other = await book(
      t.tokens.manager,
      "redu-open-space",
      ten as string,
      eleven as string,
      carla.id,
    );
    expect(other.status).toBe(201);
    // Back to back is not an overlap.
    const after = await book(
      t.tokens.worker,
      "redu-open-space",
      noon as string,
      upcomingWeekday(13),
    );
    expect(after.status).toBe(201);
    // A staff member booking for Ann is held to the same rule.
    const forAnn = await book(
      t.tokens.manager,
      "redu-open-space",
      ten as string,
      eleven as string,
      t.ids.workerMemberId,
    );
    expect(forAnn.status).toBe(409);
  });

  it("lets exactly one of several simultaneous overlapping requests through", async () => {
    const from = upcomingWeekday(9, 0, 2);
    const to = upcomingWeekday(10, 0, 2);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => book(t.tokens.worker, "redu-open-space", from, to)),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    const mine = await t.call("GET", "/me/bookings?limit=100", { token: t.tokens.worker });
    const items = (mine.body.items ?? mine.body) as { resourceId: string; start: string }[];
    expect(
      items.filter(
        (b) => b.resourceId === "redu-open-space" && Date.parse(b.start) === Date.parse(from),
      ),
    ).toHaveLength(1);
  });

  it("a recurring series names the occurrences the member already holds", async () => {
    const from = upcomingWeekday(14, 0, 3);
    const to = upcomingWeekday(15, 0, 3);
    expect((await book(t.tokens.worker, "redu-open-space", from, to)).status).toBe(201);
    const series = await t.call("POST", "/bookings/recurring", {
      token: t.tokens.worker,
      body: {
        resourceId: "redu-open-space",
        start: from,
        end: to,
        rrule: "FREQ=WEEKLY;COUNT=3",
        mode: "refuse-all",
      },
    });
    expect(series.status).toBe(409);
    expect(JSON.stringify(series.body.errors)).toContain("already-booked");
    const skip = await t.call("POST", "/bookings/recurring", {
      token: t.tokens.worker,
      body: {
        resourceId: "redu-open-space",
        start: from,
        end: to,
        rrule: "FREQ=WEEKLY;COUNT=3",
        mode: "skip-conflicts",
      },
    });
    expect(skip.status).toBe(201);
    expect(skip.body.created).toHaveLength(2);
    expect(skip.body.skipped).toEqual([expect.objectContaining({ reason: "already-booked" })]);
  });
});
