import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listStaffRoles, revokeStaffRole } from "../../src/domain/staff.js";
import { setPassword, setUserDisabled } from "../../src/domain/users.js";
import type { Principal } from "../../src/http/principal.js";
import { PrincipalCache } from "../../src/http/principalCache.js";
import { admin } from "../support/fixtures.js";
import { startTestCloud, type TestCloud } from "../support/httpFixture.js";

const ann: Principal = {
  userId: "u-ann",
  memberId: "m-ann",
  coordinator: false,
  managerOf: [],
  via: "session",
};

describe("principal cache (unit)", () => {
  it("loads once, then answers from memory until cleared", async () => {
    const cache = new PrincipalCache();
    let loads = 0;
    const load = async () => {
      loads += 1;
      return { principal: ann, expiresAt: null };
    };
    expect(await cache.get("psr_a", load)).toEqual(ann);
    expect(await cache.get("psr_a", load)).toEqual(ann);
    expect(loads).toBe(1);
    cache.clear();
    await cache.get("psr_a", load);
    expect(loads).toBe(2);
  });

  it("does not cache unknown tokens, and never past the token's expiry or the TTL", async () => {
    let now = 1_000;
    const cache = new PrincipalCache({ ttlMs: 500, now: () => now });
    let loads = 0;
    const counted =
      <T>(answer: T) =>
      async () => {
        loads += 1;
        return answer;
      };
    expect(await cache.get("psr_x", counted(null))).toBeNull();
    expect(await cache.get("psr_x", counted(null))).toBeNull();
    expect(loads).toBe(2);

    const expiring = counted({ principal: ann, expiresAt: 1_200 });
    await cache.get("psr_e", expiring);
    now = 1_199;
    await cache.get("psr_e", expiring);
    expect(loads).toBe(3);
    now = 1_200;
    await cache.get("psr_e", expiring);
    expect(loads).toBe(4);

    const lasting = counted({ principal: ann, expiresAt: null });
    await cache.get("psr_l", lasting);
    now += 499;
    await cache.get("psr_l", lasting);
    expect(loads).toBe(5);
    now += 1;
    await cache.get("psr_l", lasting);
    expect(loads).toBe(6);
  });

  it("does not store an answer loaded while a change cleared the cache", async () => {
    const cache = new PrincipalCache();
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const pending = cache.get("psr_r", async () => {
      await slow;
      return { principal: { ...ann, managerOf: ["redu"] }, expiresAt: null };
    });
    cache.clear(); // the role was revoked while the lookup was in flight
    release();
    expect((await pending)?.managerOf).toEqual(["redu"]);
    expect(cache.size).toBe(0);
  });

  it("keeps at most maxEntries, dropping the oldest", async () => {
    const cache = new PrincipalCache({ maxEntries: 2 });
    const load = async () => ({ principal: ann, expiresAt: null });
    await cache.get("psr_1", load);
    await cache.get("psr_2", load);
    await cache.get("psr_3", load);
    expect(cache.size).toBe(2);
  });
});

describe("principal cache in the running cloud: changes take effect on the next request", () => {
  let test: TestCloud;
  beforeAll(async () => {
    test = await startTestCloud();
  });
  afterAll(async () => {
    await test?.stop();
  });

  it("a revoked manager role is refused at once, though the token was just used", async () => {
    const token = await test.login(test.ids.emails.manager);
    const centre = test.ids.centre;
    expect((await test.call("GET", `/centres/${centre}/doors`, { token })).status).toBe(200);
    const [grant] = await listStaffRoles(test.deps, { userId: test.ids.userIds.manager });
    await revokeStaffRole(test.deps, admin, grant?.id ?? "");
    expect((await test.call("GET", `/centres/${centre}/doors`, { token })).status).toBe(403);
  });

  it("a disabled user's token stops working at once", async () => {
    const token = await test.login(test.ids.emails.otherWorker);
    expect((await test.call("GET", "/me", { token })).status).toBe(200);
    await setUserDisabled(test.deps, admin, test.ids.userIds.otherWorker, true);
    expect((await test.call("GET", "/me", { token })).status).toBe(401);
  });

  it("a new password ends the sessions already in use", async () => {
    const token = await test.login(test.ids.emails.otherManager);
    expect((await test.call("GET", "/me", { token })).status).toBe(200);
    await setPassword(test.deps, admin, test.ids.userIds.otherManager, "another long passphrase");
    expect((await test.call("GET", "/me", { token })).status).toBe(401);
  });
});
