import { beforeEach, expect, it } from "vitest";
import { createMember } from "../../../src/domain/members.js";
import { createPass, revokePass } from "../../../src/domain/passes.js";
import type { ServiceDeps } from "../../../src/domain/serviceDeps.js";
import { serviceDeps } from "../../../src/domain/serviceDeps.js";
import type { Principal } from "../../../src/http/principal.js";
import { canSeeMember, searchMembers } from "../../../src/http/routes/members/memberDirectory.js";
import { admin, centre } from "../../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../../support/storeEngines.js";

const engines = await provideEngines();

const staff = (managerOf: string[], coordinator = false): Principal => ({
  userId: "u",
  memberId: null,
  coordinator,
  managerOf,
  via: "session",
});
const coordinator = staff([], true);
const reduManager = staff(["redu"]);

const year = {
  validFrom: Date.parse("2026-01-01T00:00:00Z"),
  validTo: Date.parse("2027-01-01T00:00:00Z"),
};

describeOnEngines(engines, "the members directory query behind GET /members", (harness) => {
  let deps: ServiceDeps;
  const ids: Record<string, string> = {};

  beforeEach(async () => {
    deps = serviceDeps(await harness.freshStore());
    await centre(deps, "redu");
    await centre(deps, "ciney");
    const member = async (name: string, homeCentreId: string | null) => {
      const created = await createMember(deps, admin, {
        name,
        email: `${name.toLowerCase().replace(/\W/g, ".")}@example.org`,
        homeCentreId,
      });
      ids[name] = created.id;
      return created.id;
    };
    await member("Ann", "redu");
    const network = await member("Nina", null);
    await createPass(deps, admin, { memberId: network, kind: "network", ...year });
    const visitor = await member("Victor", "ciney");
    await createPass(deps, admin, {
      memberId: visitor,
      kind: "centre-membership",
      validCentreId: "redu",
      ...year,
    });
    const seller = await member("Sam_100%", null);
    await createPass(deps, admin, {
      memberId: seller,
      kind: "hour-credits",
      ownerCentreId: "redu",
      creditMinutes: 600,
      ...year,
    });
    await member("Zoe", "ciney");
  });

  const names = async (principal: Principal, search: Parameters<typeof searchMembers>[2]) =>
    (await searchMembers(deps, principal, search)).map((row) => row.name).sort();

  it("gives a manager the members whose home centre or a pass is theirs, not network holders", async () => {
    expect(await names(reduManager, { limit: 50 })).toEqual(["Ann", "Sam_100%", "Victor"]);
    expect(await names(coordinator, { limit: 50 })).toEqual([
      "Ann",
      "Nina",
      "Sam_100%",
      "Victor",
      "Zoe",
    ]);
    expect(await names(staff([]), { limit: 50 })).toEqual([]);
    expect(await canSeeMember(deps, reduManager, ids.Victor ?? "")).toBe(true);
    expect(await canSeeMember(deps, reduManager, ids.Nina ?? "")).toBe(false);
    expect(await canSeeMember(deps, reduManager, ids.Zoe ?? "")).toBe(false);
    expect(await canSeeMember(deps, coordinator, ids.Zoe ?? "")).toBe(true);
    expect(await canSeeMember(deps, coordinator, "no-such-member")).toBe(false);
  });

  it("keeps a member related through a revoked pass (their history is still the centre's)", async () => {
    const passes = await deps.store.db
      .selectFrom("passes")
      .select("id")
      .where("member_id", "=", ids.Victor ?? "")
      .execute();
    await revokePass(deps, admin, passes[0]?.id ?? "", "left");
    expect(await canSeeMember(deps, reduManager, ids.Victor ?? "")).toBe(true);
  });

  it("narrows to one centre within the caller's scope", async () => {
    expect(await names(coordinator, { centreId: "ciney", limit: 50 })).toEqual(["Victor", "Zoe"]);
    expect(await names(reduManager, { centreId: "ciney", limit: 50 })).toEqual(["Victor"]);
  });

  it("searches name and e-mail in any case, with % and _ taken literally", async () => {
    expect(await names(coordinator, { q: "ZO", limit: 50 })).toEqual(["Zoe"]);
    expect(await names(coordinator, { q: "victor@example", limit: 50 })).toEqual(["Victor"]);
    expect(await names(coordinator, { q: "100%", limit: 50 })).toEqual(["Sam_100%"]);
    expect(await names(coordinator, { q: "%", limit: 50 })).toEqual(["Sam_100%"]);
    expect(await names(coordinator, { q: "m_1", limit: 50 })).toEqual(["Sam_100%"]);
    expect(await names(coordinator, { q: "a_n", limit: 50 })).toEqual([]);
  });

  it("pages by id after the previous page's last one", async () => {
    const first = await searchMembers(deps, coordinator, { limit: 2 });
    const rest = await searchMembers(deps, coordinator, { limit: 10, after: first[1]?.id ?? "" });
    expect(first).toHaveLength(2);
    expect(rest).toHaveLength(3);
    expect([...first, ...rest].map((row) => row.id)).toEqual(Object.values(ids).sort());
  });
});
