import { canonicalJson, type FullBundle, validators } from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import { compileCentreBundle } from "../../src/bundles/compileCentreBundle.js";
import type { CentreAccessInput } from "../../src/ports/compilerInput.js";
import { hashOf, now, reduInput, t } from "./centreFixture.js";

const credentialOf = (bundle: FullBundle, uid: string) =>
  bundle.credentials.find((c) => c.hash === hashOf(uid));

const publicDoors = ["door-main", "door-open"];

describe("compileCentreBundle", () => {
  const bundle = compileCentreBundle(reduInput(), 7, now);

  it("fills the header: version, issued-at, valid-until now + 7 days, salt, rules", () => {
    expect(bundle).toMatchObject({
      type: "bundle.full",
      centre: "redu",
      version: 7,
      issuedAt: "2026-03-02T07:00:00.000Z",
      validUntil: "2026-03-09T07:00:00.000Z",
      credentialSalt: reduInput().credentialSalt,
    });
    expect(bundle.rules).toEqual({
      id: "redu",
      name: "Redu — tiers-lieu",
      timeZone: "Europe/Brussels",
      openingHours: reduInput().centre.openingHours,
      closedDates: ["2026-03-04"], // last Christmas is gone
    });
    expect(validators.fullBundle.check(bundle)).toBe(true);
  });

  it("lists the doors by id with the zones they lead to (no single desks)", () => {
    expect(bundle.doors).toEqual([
      { id: "door-main", name: "Main entrance", direction: "both", zones: [] },
      { id: "door-open", name: "Open space", direction: "in", zones: ["open-space"] },
      { id: "door-room-a", name: "Room A", direction: "both", zones: ["room-a"] },
    ]);
  });

  it("widens bookings by the grace period, merges touching ones, drops past and too-far ones", () => {
    expect(credentialOf(bundle, "0401")).toEqual({
      hash: hashOf("0401"),
      member: "m-booker",
      status: "active", // the active badge wins over an old revoked entry with the same hash
      doors: ["door-main", "door-open", "door-room-a"], // room A booked: its door too
      windows: [
        { from: "2026-03-03T08:45:00.000Z", to: "2026-03-03T12:15:00.000Z", source: "booking" },
        { from: "2026-03-06T12:45:00.000Z", to: "2026-03-06T14:15:00.000Z", source: "booking" },
      ],
      passes: [],
      staff: false,
      offlineStaff: false,
    });
  });

  it("turns a network pass into an opening-hours rule valid here", () => {
    expect(credentialOf(bundle, "0402")).toEqual({
      hash: hashOf("0402"),
      member: "m-network",
      status: "active",
      doors: publicDoors,
      windows: [],
      passes: [
        {
          from: "2026-01-01T00:00:00.000Z",
          to: "2027-01-01T00:00:00.000Z",
          hours: "opening-hours",
        },
      ],
      staff: false,
      offlineStaff: false,
    });
  });

  it("turns a day pass into the opening hours of its local day, none on a closed day", () => {
    expect(credentialOf(bundle, "0403")).toMatchObject({
      member: "m-day",
      doors: publicDoors,
      // Thursday 08:00–18:00 in Brussels (UTC+1); Wednesday 4 March is a closed date.
      windows: [
        { from: "2026-03-05T07:00:00.000Z", to: "2026-03-05T17:00:00.000Z", source: "pass" },
      ],
      passes: [],
    });
  });

  it("places day-pass hours in local time across a DST change", () => {
    const input = reduInput({
      badges: [{ credentialHash: hashOf("0403"), memberId: "m-day", revokedAt: null }],
      passes: [
        // Saturday 28 March (UTC+1) and Monday 30 March (UTC+2, after the spring change)
        {
          memberId: "m-day",
          kind: "day",
          validCentreId: "redu",
          validFrom: t("2026-03-27T23:00:00Z"),
          validTo: t("2026-03-28T23:00:00Z"),
        },
        {
          memberId: "m-day",
          kind: "day",
          validCentreId: "redu",
          validFrom: t("2026-03-29T22:00:00Z"),
          validTo: t("2026-03-30T22:00:00Z"),
        },
      ],
    });
    const dst = compileCentreBundle(input, 1, t("2026-03-28T07:00:00Z"));
    expect(credentialOf(dst, "0403")?.windows).toEqual([
      { from: "2026-03-28T08:00:00.000Z", to: "2026-03-28T12:00:00.000Z", source: "pass" },
      { from: "2026-03-30T06:00:00.000Z", to: "2026-03-30T16:00:00.000Z", source: "pass" },
    ]);
  });

  it("opens during opening hours for hour credits while minutes remain, not after", () => {
    expect(credentialOf(bundle, "0404")?.passes).toEqual([
      { from: "2026-02-01T00:00:00.000Z", to: "2026-08-01T00:00:00.000Z", hours: "opening-hours" },
    ]);
    expect(credentialOf(bundle, "0405")).toBeUndefined(); // 0 minutes left: unknown at the door
  });

  it("leaves out members with no right here: another centre's membership, a revoked pass, nothing", () => {
    for (const uid of ["0406", "0407", "040B"]) expect(credentialOf(bundle, uid)).toBeUndefined();
  });

  it("gives a manager every door at any hour, and offline access when flagged", () => {
    expect(credentialOf(bundle, "0408")).toEqual({
      hash: hashOf("0408"),
      member: "m-manager",
      status: "active",
      doors: ["door-main", "door-open", "door-room-a"],
      windows: [],
      passes: [],
      staff: true,
      offlineStaff: true,
    });
  });

  it("keeps a badge revoked within the retention period as revoked, and forgets older ones", () => {
    expect(credentialOf(bundle, "0409")).toEqual({
      hash: hashOf("0409"),
      member: "m-network",
      status: "revoked",
      doors: [],
      windows: [],
      passes: [],
      staff: false,
      offlineStaff: false,
    });
    expect(credentialOf(bundle, "040A")).toBeUndefined(); // revoked 60 days ago
    expect(bundle.credentials).toHaveLength(6);
  });

  it("is deterministic: input order does not matter, credentials are sorted by hash", () => {
    const input = reduInput();
    const shuffled: CentreAccessInput = {
      ...input,
      doors: [...input.doors].reverse(),
      badges: [...input.badges].reverse(),
      bookings: [...input.bookings].reverse(),
      passes: [...input.passes].reverse(),
    };
    expect(canonicalJson(compileCentreBundle(shuffled, 7, now))).toBe(canonicalJson(bundle));
    const hashes = bundle.credentials.map((c) => c.hash);
    expect(hashes).toEqual([...hashes].sort());
  });

  it("honours a shorter validity and retention policy", () => {
    const short = compileCentreBundle(reduInput(), 1, now, {
      validityMs: 2 * 24 * 60 * 60 * 1000,
      revokedRetentionMs: 24 * 60 * 60 * 1000,
    });
    expect(short.validUntil).toBe("2026-03-04T07:00:00.000Z");
    expect(credentialOf(short, "0409")).toBeUndefined();
    // Friday's booking is past the 2-day horizon; Tuesday's is in.
    expect(credentialOf(short, "0401")?.windows).toHaveLength(1);
  });
});
