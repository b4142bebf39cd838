import { credentialHash } from "@passerelle/protocol";
import { beforeEach, expect, it } from "vitest";
import {
  findActiveBadgeByHash,
  issueBadge,
  listBadges,
  revokeBadge,
} from "../../src/domain/badges.js";
import { archiveMember, createMember, getMember, updateMember } from "../../src/domain/members.js";
import { changePassValidity, createPass, listPasses, revokePass } from "../../src/domain/passes.js";
import { listBookings } from "../../src/reservations/bookings.js";
import { createBooking } from "../../src/reservations/createBooking.js";
import { credentialSalt } from "../../src/store/settings.js";
import { expectDomainError } from "../support/expectDomainError.js";
import {
  admin,
  at,
  centre,
  memberWithPass,
  type RecordingDeps,
  recordingDeps,
  smallCentre,
} from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();
const UID = "04:A2:2B:1C:5D:80:01";

describeOnEngines(engines, "members, passes and badges", (harness) => {
  let deps: RecordingDeps;

  beforeEach(async () => {
    deps = recordingDeps(await harness.freshStore());
    await centre(deps, "redu");
    await centre(deps, "liege");
    deps.accessChanges.length = 0;
  });

  it("creates members with a normalised, unique e-mail", async () => {
    const member = await createMember(deps, admin, {
      name: " Ada ",
      email: "Ada@Example.ORG",
      homeCentreId: "redu",
      language: "nl",
    });
    expect(member).toMatchObject({ name: "Ada", email: "ada@example.org", homeCentreId: "redu" });
    expect(await getMember(deps, member.id)).toEqual(member);
    await expectDomainError(
      createMember(deps, admin, { name: "Other", email: "ADA@example.org" }),
      "conflict",
      "email",
    );
    await expectDomainError(
      createMember(deps, admin, { name: "X", email: "nope" }),
      "invalid",
      "email",
    );
    await expectDomainError(
      createMember(deps, admin, { name: "X", email: "x@example.org", homeCentreId: "nowhere" }),
      "not-found",
      "homeCentreId",
    );
    await expectDomainError(
      createMember(deps, admin, { name: "X", email: "x@example.org", language: "xx" as "fr" }),
      "invalid",
      "language",
    );
    expect((await updateMember(deps, admin, member.id, { language: "en" })).language).toBe("en");
  });

  it("shapes passes by kind: network everywhere, membership of one centre, credits with minutes", async () => {
    const member = await createMember(deps, admin, { name: "Bo", email: "bo@example.org" });
    const year = { validFrom: at("2026-01-01T00:00Z"), validTo: at("2027-01-01T00:00Z") };
    const network = await createPass(deps, admin, {
      memberId: member.id,
      kind: "network",
      ...year,
    });
    expect(network).toMatchObject({ ownerCentreId: null, validCentreId: null });
    expect(deps.accessChanges.at(-1)).toEqual(["liege", "redu"]);

    const membership = await createPass(deps, admin, {
      memberId: member.id,
      kind: "centre-membership",
      validCentreId: "redu",
      ...year,
    });
    expect(membership).toMatchObject({ ownerCentreId: "redu", validCentreId: "redu" });
    expect(deps.accessChanges.at(-1)).toEqual(["redu"]);

    const credits = await createPass(deps, admin, {
      memberId: member.id,
      kind: "hour-credits",
      creditMinutes: 600,
      ...year,
    });
    expect(credits.creditMinutes).toBe(600);

    await expectDomainError(
      createPass(deps, admin, {
        memberId: member.id,
        kind: "network",
        validCentreId: "redu",
        ...year,
      }),
      "invalid",
      "validCentreId",
    );
    await expectDomainError(
      createPass(deps, admin, { memberId: member.id, kind: "centre-membership", ...year }),
      "invalid",
      "validCentreId",
    );
    await expectDomainError(
      createPass(deps, admin, { memberId: member.id, kind: "day", ...year }),
      "invalid",
      "validTo",
    );
    await expectDomainError(
      createPass(deps, admin, { memberId: member.id, kind: "hour-credits", ...year }),
      "invalid",
      "creditMinutes",
    );
    await expectDomainError(
      createPass(deps, admin, {
        memberId: member.id,
        kind: "network",
        validFrom: year.validTo,
        validTo: year.validFrom,
      }),
      "invalid",
      "validTo",
    );
    const day = await createPass(deps, admin, {
      memberId: member.id,
      kind: "day",
      ownerCentreId: "liege",
      validFrom: at("2026-03-03T00:00+01:00"),
      validTo: at("2026-03-04T00:00+01:00"),
    });
    expect(day.validCentreId).toBe("liege");
  });

  it("lists active passes, extends and revokes them", async () => {
    const member = await createMember(deps, admin, { name: "Cy", email: "cy@example.org" });
    const pass = await createPass(deps, admin, {
      memberId: member.id,
      kind: "centre-membership",
      validCentreId: "liege",
      validFrom: at("2026-01-01T00:00Z"),
      validTo: at("2026-02-01T00:00Z"),
    });
    expect(
      await listPasses(deps, { memberId: member.id, activeAt: at("2026-03-01T00:00Z") }),
    ).toEqual([]);
    const extended = await changePassValidity(deps, admin, pass.id, {
      validFrom: at("2026-01-01T00:00Z"),
      validTo: at("2026-04-01T00:00Z"),
    });
    expect(extended.validTo.toISOString()).toBe("2026-04-01T00:00:00.000Z");
    expect(
      await listPasses(deps, { memberId: member.id, activeAt: at("2026-03-01T00:00Z") }),
    ).toHaveLength(1);
    const revoked = await revokePass(deps, admin, pass.id, "unpaid");
    expect(revoked).toMatchObject({ revokedBy: admin, revokeReason: "unpaid" });
    await expectDomainError(revokePass(deps, admin, pass.id, "again"), "conflict");
    expect(deps.accessChanges.slice(-2)).toEqual([["liege"], ["liege"]]);
  });

  it("stores a badge as its salted credential hash only, never the UID", async () => {
    const member = await memberWithPass(deps, "Dee");
    deps.accessChanges.length = 0;
    const badge = await issueBadge(deps, admin, { memberId: member.id, uid: UID, label: "card 7" });
    const salt = await credentialSalt(deps.store.db);
    expect(badge.credentialHash).toBe(credentialHash(UID, salt));
    expect(badge).toMatchObject({ memberId: member.id, issuedBy: admin, revokedAt: null });
    const stored = JSON.stringify(await deps.store.db.selectFrom("badges").selectAll().execute());
    expect(stored).not.toMatch(/04A22B1C5D8001|04:A2:2B/i);
    expect(JSON.stringify(deps.audits)).not.toMatch(/04A22B1C5D8001|04:A2:2B/i);
    expect((await findActiveBadgeByHash(deps, badge.credentialHash))?.id).toBe(badge.id);
    // A network pass: every centre's bundle may carry the badge.
    expect(deps.accessChanges).toEqual([["liege", "redu"]]);
  });

  it("refuses a card already issued until it is revoked, and records who revoked it and why", async () => {
    const first = await memberWithPass(deps, "Eve");
    const second = await memberWithPass(deps, "Fay");
    const badge = await issueBadge(deps, admin, { memberId: first.id, uid: UID });
    await expectDomainError(
      issueBadge(deps, admin, { memberId: second.id, uid: UID }),
      "conflict",
      "uid",
    );
    await expectDomainError(
      issueBadge(deps, admin, { memberId: second.id, uid: "not hex" }),
      "invalid",
      "uid",
    );
    const revoked = await revokeBadge(deps, "user:manager", badge.id, "lost");
    expect(revoked).toMatchObject({ revokedBy: "user:manager", revokeReason: "lost" });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    await expectDomainError(revokeBadge(deps, admin, badge.id, "again"), "conflict");
    expect(await findActiveBadgeByHash(deps, badge.credentialHash)).toBeUndefined();
    const reissued = await issueBadge(deps, admin, { memberId: second.id, uid: UID });
    expect(reissued.credentialHash).toBe(badge.credentialHash);
    expect(await listBadges(deps, { memberId: first.id, activeOnly: true })).toEqual([]);
    expect(deps.audits.filter((a) => a.action.startsWith("badge.")).map((a) => a.action)).toEqual([
      "badge.issue",
      "badge.revoke",
      "badge.issue",
    ]);
  });

  it("recompiles only the centres a centre-only member can enter when their badge changes", async () => {
    const member = await createMember(deps, admin, { name: "Gus", email: "gus@example.org" });
    await createPass(deps, admin, {
      memberId: member.id,
      kind: "centre-membership",
      validCentreId: "liege",
      validFrom: at("2026-01-01T00:00Z"),
      validTo: at("2027-01-01T00:00Z"),
    });
    deps.accessChanges.length = 0;
    await issueBadge(deps, admin, { memberId: member.id, uid: UID });
    expect(deps.accessChanges).toEqual([["liege"]]);
  });

  it("archiving a member revokes their badges and cancels their upcoming bookings", async () => {
    const { desk } = await smallCentre(deps, "spa");
    const member = await memberWithPass(deps, "Hal");
    await issueBadge(deps, admin, { memberId: member.id, uid: UID });
    await createBooking(deps, `user:${member.id}`, {
      resourceId: desk.id,
      memberId: member.id,
      start: at("2026-03-03T09:00+01:00"),
      end: at("2026-03-03T12:00+01:00"),
    });
    const archived = await archiveMember(deps, admin, member.id, "left the network");
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect(await listBadges(deps, { memberId: member.id, activeOnly: true })).toEqual([]);
    const [booking] = await listBookings(deps, { memberId: member.id });
    expect(booking).toMatchObject({ status: "cancelled", cancelReason: "left the network" });
    await expectDomainError(issueBadge(deps, admin, { memberId: member.id, uid: UID }), "invalid");
  });
});
