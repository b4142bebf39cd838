import { type BundleCredential, encodeCredentials } from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import { CredentialTable } from "../../src/decision/credentialTable.js";
import { credential, hashOf } from "./bundleFixtures.js";

const yearPass = {
  from: "2026-01-01T00:00:00.000Z",
  to: "2027-01-01T00:00:00.000Z",
  hours: "opening-hours" as const,
};
const at = (iso: string) => Date.parse(iso);
const table = (credentials: BundleCredential[]) =>
  CredentialTable.fromColumns(encodeCredentials(credentials));

/** Everything the engine reads about one hash, or null when the table does not know it. */
function read(t: CredentialTable, uid: string) {
  const row = t.find(hashOf(uid));
  if (row < 0) return null;
  return {
    member: t.member(row),
    revoked: t.isRevoked(row),
    staff: t.isStaff(row),
    offlineStaff: t.isOfflineStaff(row),
    doors: [...t.doors(row)],
    passes: t.passes(row).length,
  };
}

describe("credential table", () => {
  const base = table([
    credential("01", { member: "m-ana" }),
    credential("02", { member: "m-bea", doors: ["main", "office"], passes: [yearPass] }),
    credential("03", { member: "m-cy", status: "revoked", doors: [] }),
    credential("04", { member: "m-dan", staff: true, offlineStaff: true }),
    credential("05", { member: "m-eve", doors: ["main", "office"], passes: [yearPass] }),
  ]);

  it("finds every credential by hash with its fields, and no other hash", () => {
    expect(base.size).toBe(5);
    expect(read(base, "01")).toEqual({
      member: "m-ana",
      revoked: false,
      staff: false,
      offlineStaff: false,
      doors: ["main"],
      passes: 0,
    });
    expect(read(base, "03")).toMatchObject({ member: "m-cy", revoked: true, doors: [] });
    expect(read(base, "04")).toMatchObject({ staff: true, offlineStaff: true });
    expect(read(base, "99")).toBeNull();
    expect(base.find("too-short")).toBe(-1);
  });

  it("shares one door set and one pass list between credentials that have the same", () => {
    const bea = base.find(hashOf("02"));
    const eve = base.find(hashOf("05"));
    expect(base.doors(bea)).toBe(base.doors(eve));
    expect(base.passes(bea)).toBe(base.passes(eve));
    expect(base.passes(bea)[0]).toEqual({
      from: at(yearPass.from),
      to: at(yearPass.to),
      hours: null,
      secureCardOnly: false,
    });
  });

  it("reads windows in time order, whatever order they came in", () => {
    const t = table([
      credential("0A", {
        windows: [
          { from: "2026-03-03T13:00:00.000Z", to: "2026-03-03T17:00:00.000Z", source: "pass" },
          { from: "2026-03-03T08:00:00.000Z", to: "2026-03-03T12:00:00.000Z", source: "booking" },
        ],
      }),
      credential("0B"),
    ]);
    const row = t.find(hashOf("0A"));
    expect(t.windowAt(row, at("2026-03-03T09:00:00Z"))).toBe("booking");
    expect(t.windowAt(row, at("2026-03-03T12:30:00Z"))).toBeNull();
    expect(t.windowAt(row, at("2026-03-03T14:00:00Z"))).toBe("pass");
    expect(t.windowAt(row, at("2026-03-03T17:00:00Z"))).toBeNull();
    // The next row's window is not read as this one's.
    expect(t.windowAt(t.find(hashOf("0B")), at("2026-03-03T09:00:00Z"))).toBeNull();
  });

  it("keeps the later entry when a bundle gives a hash twice", () => {
    const t = table([credential("01", { member: "m-old" }), credential("01", { member: "m-new" })]);
    expect(t.size).toBe(1);
    expect(read(t, "01")?.member).toBe("m-new");
    expect([...t.keys()]).toEqual([hashOf("01")]);
  });

  it("applies a delta into a new table and leaves the old one whole", () => {
    const next = base.withDelta(
      encodeCredentials([
        credential("02", { member: "m-bea", status: "revoked", doors: [] }),
        credential("06", { member: "m-fay", doors: ["office"] }),
      ]),
      [hashOf("01"), hashOf("04"), hashOf("77")].join(""),
    );
    expect(next.size).toBe(4);
    expect([...next.keys()].sort()).toEqual(
      [hashOf("02"), hashOf("03"), hashOf("05"), hashOf("06")].sort(),
    );
    expect(read(next, "01")).toBeNull();
    expect(read(next, "04")).toBeNull();
    expect(read(next, "02")).toMatchObject({ member: "m-bea", revoked: true, doors: [] });
    expect(read(next, "03")).toMatchObject({ member: "m-cy", revoked: true });
    expect(read(next, "05")).toMatchObject({
      member: "m-eve",
      doors: ["main", "office"],
      passes: 1,
    });
    expect(read(next, "06")).toMatchObject({ member: "m-fay", doors: ["office"] });
    // The old table still answers as before: decisions in flight may hold it.
    expect(base.size).toBe(5);
    expect(read(base, "01")?.member).toBe("m-ana");
    expect(read(base, "02")).toMatchObject({ revoked: false, doors: ["main", "office"] });
  });

  it("carries the windows of kept credentials through a delta", () => {
    const windowed = table([
      credential("0A", {
        windows: [
          { from: "2026-03-03T08:00:00.000Z", to: "2026-03-03T12:00:00.000Z", source: "booking" },
        ],
      }),
      credential("0B"),
      credential("0C", {
        windows: [
          { from: "2026-03-04T08:00:00.000Z", to: "2026-03-04T12:00:00.000Z", source: "pass" },
        ],
      }),
    ]);
    const next = windowed.withDelta(encodeCredentials([]), hashOf("0B"));
    expect(next.windowAt(next.find(hashOf("0A")), at("2026-03-03T09:00:00Z"))).toBe("booking");
    expect(next.windowAt(next.find(hashOf("0C")), at("2026-03-04T09:00:00Z"))).toBe("pass");
    expect(next.windowAt(next.find(hashOf("0C")), at("2026-03-03T09:00:00Z"))).toBeNull();
    expect(next.member(next.find(hashOf("0C")))).toBe("m-0C");
  });

  it("holds many credentials, each found with its own member", () => {
    const uids = Array.from({ length: 5_000 }, (_, i) => i.toString(16).padStart(6, "0"));
    const big = table(uids.map((uid) => credential(uid)));
    expect(big.size).toBe(uids.length);
    for (const uid of uids) expect(big.member(big.find(hashOf(uid)))).toBe(`m-${uid}`);
    const half = big.withDelta(
      encodeCredentials([]),
      uids
        .filter((_, i) => i % 2)
        .map(hashOf)
        .join(""),
    );
    expect(half.size).toBe(2_500);
    for (const [i, uid] of uids.entries()) {
      const row = half.find(hashOf(uid));
      if (i % 2) expect(row).toBe(-1);
      else expect(half.member(row)).toBe(`m-${uid}`);
    }
  });
});
