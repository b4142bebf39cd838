import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AvailabilityPage } from "../../src/reservations/availability.js";
import { AvailabilityCache } from "../../src/reservations/availabilityCache.js";
import { createBooking } from "../../src/reservations/createBooking.js";
import { openStore, type Store } from "../../src/store/openStore.js";
import {
  at,
  memberWithPass,
  type RecordingDeps,
  recordingDeps,
  smallCentre,
} from "../support/fixtures.js";

const tuesday = {
  kind: "desk" as const,
  from: at("2026-03-03T00:00+01:00"),
  to: at("2026-03-04T00:00+01:00"),
};
const slotCount = (page: AvailabilityPage) =>
  page.items.reduce((n, item) => n + item.slots.length, 0);

describe("availability cache", () => {
  let dir: string;
  let store: Store;
  let deps: RecordingDeps;
  let cache: AvailabilityCache;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "passerelle-availability-cache-"));
    store = await openStore({ dataDir: dir });
    const recording = recordingDeps(store, "2026-03-02T07:00:00Z");
    // The composition routes the access-rules hook to the cache, as the server does.
    deps = {
      ...recording,
      hooks: {
        ...recording.hooks,
        onAccessRulesChanged: (centres) => {
          recording.hooks.onAccessRulesChanged(centres);
          cache.invalidate(centres);
        },
      },
    };
    cache = new AvailabilityCache(deps, { ttlMs: 5000, maxEntries: 100 });
    await smallCentre(deps, "redu");
    await smallCentre(deps, "arlon");
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  // The member is made first: a network pass legitimately changes every centre's rules.
  async function member() {
    return memberWithPass(deps, "Ann");
  }

  async function bookReduDesk(ann: Awaited<ReturnType<typeof member>>) {
    await createBooking(deps, `user:${ann.id}`, {
      resourceId: "redu-desk-1",
      memberId: ann.id,
      start: at("2026-03-03T10:00+01:00"),
      end: at("2026-03-03T12:00+01:00"),
    });
  }

  it("answers a repeated query from memory", async () => {
    const first = await cache.search({ centreId: "redu", ...tuesday });
    const second = await cache.search({ centreId: "redu", ...tuesday });
    expect(second).toBe(first);
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
  });

  it("recomputes a centre's answer after a booking there, not another centre's", async () => {
    const ann = await member();
    const before = await cache.search({ centreId: "redu", ...tuesday });
    const arlonBefore = await cache.search({ centreId: "arlon", ...tuesday });
    await bookReduDesk(ann);
    const after = await cache.search({ centreId: "redu", ...tuesday });
    expect(slotCount(before)).toBe(1);
    expect(slotCount(after)).toBe(2); // the booking split the day in two free slots
    expect(await cache.search({ centreId: "arlon", ...tuesday })).toBe(arlonBefore);
  });

  it("recomputes a network-wide answer after a booking anywhere", async () => {
    const ann = await member();
    const before = await cache.search(tuesday);
    await bookReduDesk(ann);
    const after = await cache.search(tuesday);
    expect(after).not.toBe(before);
    expect(slotCount(after)).toBe(slotCount(before) + 1);
  });

  it("expires entries after the TTL", async () => {
    const first = await cache.search({ centreId: "redu", ...tuesday });
    deps.clock.advance(5001);
    expect(await cache.search({ centreId: "redu", ...tuesday })).not.toBe(first);
    expect(cache.misses).toBe(2);
  });

  it("does not keep a refused query", async () => {
    const backwards = {
      centreId: "redu",
      kind: "desk" as const,
      from: tuesday.to,
      to: tuesday.from,
    };
    await expect(cache.search(backwards)).rejects.toMatchObject({ code: "invalid", field: "to" });
    await expect(cache.search(backwards)).rejects.toMatchObject({ code: "invalid" });
    expect(cache.misses).toBe(2);
  });
});
