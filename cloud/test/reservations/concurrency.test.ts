import { beforeAll, expect, it } from "vitest";
import { DomainError } from "../../src/domain/domainError.js";
import type { Member } from "../../src/domain/members.js";
import { listBookings } from "../../src/reservations/bookings.js";
import { createBooking } from "../../src/reservations/createBooking.js";
import {
  at,
  memberWithPass,
  type RecordingDeps,
  recordingDeps,
  type SmallCentre,
  smallCentre,
} from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();
const REQUESTS = 50;

/** Fires every request at once, each in its own transaction, and sorts out the outcomes. */
async function race(requests: Array<() => Promise<unknown>>) {
  const outcomes = await Promise.allSettled(requests.map((request) => request()));
  const won = outcomes.filter((o) => o.status === "fulfilled");
  const lost = outcomes
    .filter((o): o is PromiseRejectedResult => o.status === "rejected")
    .map((o) => o.reason as unknown);
  return { won, lost };
}

describeOnEngines(engines, "no double booking under concurrency", (harness) => {
  let deps: RecordingDeps;
  let redu: SmallCentre;
  let members: Member[];

  beforeAll(async () => {
    // A pool well above 10 so PostgreSQL really runs many transactions side by side.
    deps = recordingDeps(await harness.freshStore({ poolSize: 20 }), "2026-03-02T07:00:00Z");
    redu = await smallCentre(deps, "redu");
    members = [];
    for (let k = 0; k < REQUESTS + 2; k += 1) members.push(await memberWithPass(deps, `M${k}`));
  });

  const slot = { start: at("2026-03-03T09:00+01:00"), end: at("2026-03-03T17:00+01:00") };
  const attempt = (member: Member, resourceId: string) => () =>
    createBooking(deps, `user:${member.id}`, { resourceId, memberId: member.id, ...slot });

  it(`gives the last seat of a zone to exactly 1 of ${REQUESTS} simultaneous requests`, async () => {
    // Capacity 3: two seats taken, one left.
    for (const member of members.slice(0, 2)) await attempt(member, redu.zone.id)();
    const { won, lost } = await race(members.slice(2).map((m) => attempt(m, redu.zone.id)));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(REQUESTS - 1);
    for (const error of lost) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("conflict");
      expect((error as DomainError).message).toMatch(/no seat left/);
    }
    const confirmed = await listBookings(deps, {
      resourceId: redu.zone.id,
      statuses: ["confirmed"],
    });
    expect(confirmed).toHaveLength(3);
  });

  it(`books a desk for exactly 1 of ${REQUESTS} simultaneous requests`, async () => {
    const { won, lost } = await race(members.slice(2).map((m) => attempt(m, redu.desk.id)));
    expect(won).toHaveLength(1);
    expect(lost.every((e) => e instanceof DomainError && e.code === "conflict")).toBe(true);
    expect(await listBookings(deps, { resourceId: redu.desk.id })).toHaveLength(1);
  });

  it("keeps the room buffer under concurrency: overlapping-with-buffer requests get one room", async () => {
    // Each request is shifted by a minute: all collide through the 10-minute buffer.
    const { won } = await race(
      members.slice(2, 22).map(
        (member, k) => () =>
          createBooking(deps, `user:${member.id}`, {
            resourceId: redu.room.id,
            memberId: member.id,
            start: at("2026-03-04T10:00+01:00") + k * 60_000,
            end: at("2026-03-04T11:00+01:00") + k * 60_000,
          }),
      ),
    );
    expect(won).toHaveLength(1);
  });
});
