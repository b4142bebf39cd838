import { credentialHash, pinHash, sunVerificationKeys } from "@passerelle/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialSalt } from "../../../src/store/settings.js";
import { startTestCloud, type TestCloud } from "../../support/httpFixture.js";
import { freshCardUid, sunUrlOf } from "../../support/sunCards.js";

const fields = (body: { errors?: { field: string }[] }) => body.errors?.map((e) => e.field) ?? [];

const march = { validFrom: "2026-03-01T00:00:00+01:00", validTo: "2026-04-01T00:00:00+02:00" };

describe("pass routes", () => {
  let t: TestCloud;
  let ann: string;
  let bob: string;
  beforeAll(async () => {
    t = await startTestCloud();
    ann = t.ids.workerMemberId;
    bob = t.ids.otherWorkerMemberId;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("lists a member's passes for staff who see the member", async () => {
    const listed = await t.call("GET", `/members/${ann}/passes`, { token: t.tokens.manager });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ kind: "network", validCentreId: null, createdBy: "user:admin" }),
    ]);
    expect(
      (await t.call("GET", `/members/${ann}/passes`, { token: t.tokens.otherManager })).status,
    ).toBe(404);
    expect((await t.call("GET", `/members/${ann}/passes`, { token: t.tokens.worker })).status).toBe(
      403,
    );
  });

  it("lets a manager sell their centre's passes, never network ones", async () => {
    const membership = await t.call("POST", `/members/${ann}/passes`, {
      token: t.tokens.manager,
      body: { kind: "centre-membership", validCentreId: "redu", ...march },
    });
    expect(membership.status).toBe(201);
    expect(membership.body).toMatchObject({
      ownerCentreId: "redu",
      validCentreId: "redu",
      validFrom: "2026-02-28T23:00:00.000Z",
      validTo: "2026-03-31T22:00:00.000Z",
    });
    const credits = await t.call("POST", `/members/${ann}/passes`, {
      token: t.tokens.manager,
      body: { kind: "hour-credits", creditMinutes: 600, ...march },
    });
    expect(credits.status).toBe(403);
    expect(fields(credits.body)).toEqual(["body/validCentreId"]);
    const network = await t.call("POST", `/members/${ann}/passes`, {
      token: t.tokens.manager,
      body: { kind: "network", ...march },
    });
    expect(network.status).toBe(403);
    expect(fields(network.body)).toEqual(["body/kind"]);
    const elsewhere = await t.call("POST", `/members/${ann}/passes`, {
      token: t.tokens.manager,
      body: { kind: "day", validCentreId: "ciney", ...march },
    });
    expect(elsewhere.status).toBe(404);
    const byCoordinator = await t.call("POST", `/members/${bob}/passes`, {
      token: t.tokens.coordinator,
      body: { kind: "network", ...march },
    });
    expect(byCoordinator.status).toBe(201);
  });

  it("refuses times without a zone, and other bad passes, naming the field", async () => {
    const local = await t.call("POST", `/members/${ann}/passes`, {
      token: t.tokens.coordinator,
      body: { kind: "network", validFrom: "2026-03-01T00:00:00", validTo: march.validTo },
    });
    expect(local.status).toBe(400);
    expect(fields(local.body)).toEqual(["body/validFrom"]);
    const backwards = await t.call("POST", `/members/${ann}/passes`, {
      token: t.tokens.coordinator,
      body: { kind: "network", validFrom: march.validTo, validTo: march.validFrom },
    });
    expect(backwards.status).toBe(400);
    expect(fields(backwards.body)).toEqual(["validTo"]);
    const kind = await t.call("POST", `/members/${ann}/passes`, {
      token: t.tokens.coordinator,
      body: { kind: "lifetime", ...march },
    });
    expect(fields(kind.body)).toEqual(["body/kind"]);
  });

  it("changes and revokes passes of the manager's centres only", async () => {
    const created = await t.call("POST", `/members/${ann}/passes`, {
      token: t.tokens.manager,
      body: { kind: "centre-membership", validCentreId: "redu", ...march },
    });
    const id = created.body.id as string;
    const april = { validFrom: march.validFrom, validTo: "2026-05-01T00:00:00+02:00" };
    const extended = await t.call("PATCH", `/passes/${id}`, {
      token: t.tokens.manager,
      body: april,
    });
    expect(extended.status).toBe(200);
    expect(extended.body.validTo).toBe("2026-04-30T22:00:00.000Z");
    expect(
      (await t.call("PATCH", `/passes/${id}`, { token: t.tokens.otherManager, body: april }))
        .status,
    ).toBe(404);
    // Ann's network pass: the redu manager sees it, but it is not theirs to change.
    const network = (await t.call("GET", `/members/${ann}/passes`, { token: t.tokens.manager }))
      .body.items[0].id as string;
    const notTheirs = await t.call("POST", `/passes/${network}/revoke`, {
      token: t.tokens.manager,
      body: { reason: "no" },
    });
    expect(notTheirs.status).toBe(403);
    const noReason = await t.call("POST", `/passes/${id}/revoke`, {
      token: t.tokens.manager,
      body: {},
    });
    expect(fields(noReason.body)).toEqual(["body/reason"]);
    const revoked = await t.call("POST", `/passes/${id}/revoke`, {
      token: t.tokens.manager,
      body: { reason: "left the coworking" },
    });
    expect(revoked.body).toMatchObject({ revokeReason: "left the coworking" });
    expect(revoked.body.revokedBy).toBe(`user:${t.ids.userIds.manager}`);
    const twice = await t.call("POST", `/passes/${id}/revoke`, {
      token: t.tokens.manager,
      body: { reason: "again" },
    });
    expect(twice.status).toBe(409);
  });

  it("shows a worker their own passes, without staff details", async () => {
    const mine = await t.call("GET", "/me/passes", { token: t.tokens.otherWorker });
    expect(mine.status).toBe(200);
    expect(mine.body.items.every((p: { memberId: string }) => p.memberId === bob)).toBe(true);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items[0].createdBy).toBeUndefined();
    expect((await t.call("GET", "/me/passes", { token: t.tokens.manager })).status).toBe(403);
    expect((await t.call("GET", "/me/passes")).status).toBe(401);
  });
});

describe("badge routes", () => {
  let t: TestCloud;
  // A UID whose spellings (as typed, grouped, lowercase) must never come back or be logged.
  const uid = "04:5A:7B:9C:1D:2E:3F";
  const spellings = [uid, "045A7B9C1D2E3F", "045a7b9c1d2e3f", "04:5a:7b:9c:1d:2e:3f"];
  beforeAll(async () => {
    t = await startTestCloud();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("issues a badge from its UID without ever showing or logging the UID", async () => {
    const texts: string[] = [];
    const issued = await t.call("POST", `/members/${t.ids.workerMemberId}/badges`, {
      token: t.tokens.manager,
      body: { uid, label: "blue card" },
    });
    texts.push(issued.text);
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ label: "blue card", revokedAt: null });
    expect(Object.keys(issued.body)).not.toContain("credentialHash");
    // Issuing the same card again (any spelling) is a conflict that does not echo it.
    const again = await t.call("POST", `/members/${t.ids.otherWorkerMemberId}/badges`, {
      token: t.tokens.coordinator,
      body: { uid: "045a7b9c1d2e3f" },
    });
    texts.push(again.text);
    expect(again.status).toBe(409);
    expect(fields(again.body)).toEqual(["uid"]);
    for (const path of [`/members/${t.ids.workerMemberId}/badges`]) {
      texts.push((await t.call("GET", path, { token: t.tokens.manager })).text);
    }
    texts.push((await t.call("GET", "/me/badges", { token: t.tokens.worker })).text);
    const everything = [...texts, ...t.logLines()].join("\n");
    expect(t.logLines().length).toBeGreaterThan(0);
    for (const spelling of spellings) expect(everything).not.toContain(spelling);
  });

  it("sets a badge's PIN for card + PIN doors as a hash bound to the card, never echoing it", async () => {
    const issued = await t.call("POST", `/members/${t.ids.workerMemberId}/badges`, {
      token: t.tokens.manager,
      body: { uid: "04C1D2E3F4A5B6" },
    });
    expect(issued.body).toMatchObject({ credentialKind: "uid", hasPin: false });
    const set = await t.call("PUT", `/badges/${issued.body.id}/pin`, {
      token: t.tokens.manager,
      body: { pin: "735911" },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ hasPin: true });
    const row = await t.deps.store.db
      .selectFrom("badges")
      .select(["pin_hash", "credential_hash"])
      .where("id", "=", issued.body.id)
      .executeTakeFirstOrThrow();
    const salt = await credentialSalt(t.deps.store.db);
    expect(row.pin_hash).toBe(pinHash("735911", row.credential_hash, salt));
    const short = await t.call("PUT", `/badges/${issued.body.id}/pin`, {
      token: t.tokens.manager,
      body: { pin: "12" },
    });
    expect(short.status).toBe(400);
    expect(new Set(fields(short.body))).toEqual(new Set(["body/pin"]));
    const cleared = await t.call("PUT", `/badges/${issued.body.id}/pin`, {
      token: t.tokens.manager,
      body: { pin: null },
    });
    expect(cleared.body).toMatchObject({ hasPin: false });
    const everything = [set.text, short.text, cleared.text, ...t.logLines()].join("\n");
    expect(everything).not.toContain("735911");
  });

  it("enrols an NTAG 424 DNA card from a SUN URL it wrote: verified, kind and counter kept", async () => {
    const cardUid = freshCardUid();
    const enrolled = await t.call("POST", `/members/${t.ids.workerMemberId}/badges/secure-card`, {
      token: t.tokens.manager,
      body: { sunUrl: sunUrlOf(cardUid, 17), label: "NTAG card" },
    });
    expect(enrolled.status).toBe(201);
    expect(enrolled.body).toMatchObject({ credentialKind: "ntag424-sun", label: "NTAG card" });
    const row = await t.deps.store.db
      .selectFrom("badges")
      .select(["credential_hash", "credential_kind", "read_counter"])
      .where("id", "=", enrolled.body.id)
      .executeTakeFirstOrThrow();
    const salt = await credentialSalt(t.deps.store.db);
    // The UID hash is the one the gateways compute from the card's UID; the counter is spent.
    expect(row.credential_hash).toBe(credentialHash(cardUid, salt));
    expect(Number(row.read_counter)).toBe(17);
    // The same card again is a conflict, like a UID issued twice.
    const again = await t.call("POST", `/members/${t.ids.workerMemberId}/badges/secure-card`, {
      token: t.tokens.manager,
      body: { sunUrl: sunUrlOf(cardUid, 18) },
    });
    expect(again.status).toBe(409);
    // A SUN from another network's keys, an altered one, or no SUN at all: 400 on sunUrl.
    const foreign = sunUrlOf(freshCardUid(), 3, sunVerificationKeys(Buffer.alloc(16, 7), 1));
    const altered = sunUrlOf(freshCardUid(), 4).replace(/c=(.)/, (_, d: string) =>
      d === "0" ? "c=1" : "c=0",
    );
    for (const sunUrl of [foreign, altered, "https://passerelle.example/t?x=1"]) {
      const refused = await t.call("POST", `/members/${t.ids.workerMemberId}/badges/secure-card`, {
        token: t.tokens.manager,
        body: { sunUrl },
      });
      expect(refused.status).toBe(400);
      expect(fields(refused.body)).toEqual(["sunUrl"]);
    }
    const listed = await t.call("GET", `/members/${t.ids.workerMemberId}/badges`, {
      token: t.tokens.manager,
    });
    expect(
      (listed.body.items as { credentialKind: string }[]).map((b) => b.credentialKind),
    ).toContain("ntag424-sun");
    expect(t.logLines().join("\n")).not.toMatch(new RegExp(cardUid.toString("hex"), "i"));
  });

  it("rejects a malformed UID naming the field, without echoing it", async () => {
    const bad = "04:ZZ:SECRET";
    const response = await t.call("POST", `/members/${t.ids.workerMemberId}/badges`, {
      token: t.tokens.manager,
      body: { uid: bad },
    });
    expect(response.status).toBe(400);
    expect(fields(response.body)).toEqual(["body/uid"]);
    expect(response.text).not.toContain(bad);
    const odd = await t.call("POST", `/members/${t.ids.workerMemberId}/badges`, {
      token: t.tokens.manager,
      body: { uid: "04A" },
    });
    expect(odd.status).toBe(400);
    expect(fields(odd.body)).toEqual(["uid"]);
    expect(odd.text).not.toContain('04A"');
  });

  it("keeps badges within the manager's members: 404 for others, 403 for workers", async () => {
    const bob = t.ids.otherWorkerMemberId;
    const body = { uid: "0411223344" };
    expect(
      (await t.call("POST", `/members/${bob}/badges`, { token: t.tokens.manager, body })).status,
    ).toBe(404);
    expect(
      (await t.call("GET", `/members/${bob}/badges`, { token: t.tokens.manager })).status,
    ).toBe(404);
    expect(
      (await t.call("POST", `/members/${bob}/badges`, { token: t.tokens.otherWorker, body }))
        .status,
    ).toBe(403);
    const bobs = await t.call("POST", `/members/${bob}/badges`, {
      token: t.tokens.otherManager,
      body,
    });
    expect(bobs.status).toBe(201);
    const revokeByOther = await t.call("POST", `/badges/${bobs.body.id}/revoke`, {
      token: t.tokens.manager,
      body: { reason: "lost" },
    });
    expect(revokeByOther.status).toBe(404);
    expect(revokeByOther.body.detail).toContain("badge");
  });

  it("revokes a badge with its reason; a worker sees it revoked in their own list", async () => {
    const issued = await t.call("POST", `/members/${t.ids.workerMemberId}/badges`, {
      token: t.tokens.coordinator,
      body: { uid: "04998877665544" },
    });
    expect(
      (
        await t.call("POST", `/badges/${issued.body.id}/revoke`, {
          token: t.tokens.worker,
          body: { reason: "mine" },
        })
      ).status,
    ).toBe(403);
    const revoked = await t.call("POST", `/badges/${issued.body.id}/revoke`, {
      token: t.tokens.manager,
      body: { reason: "lost on the train" },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      revokeReason: "lost on the train",
      revokedBy: `user:${t.ids.userIds.manager}`,
    });
    const active = await t.call("GET", `/members/${t.ids.workerMemberId}/badges?activeOnly=true`, {
      token: t.tokens.manager,
    });
    expect(active.body.items.map((b: { id: string }) => b.id)).not.toContain(issued.body.id);
    const mine = await t.call("GET", "/me/badges", { token: t.tokens.worker });
    const own = mine.body.items.find((b: { id: string }) => b.id === issued.body.id);
    expect(own).toMatchObject({ revokeReason: "lost on the train" });
    expect(own.revokedBy).toBeUndefined();
    expect((await t.call("GET", "/me/badges", { token: t.tokens.coordinator })).status).toBe(403);
  });
});
