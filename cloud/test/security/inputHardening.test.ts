import { afterAll, beforeAll, expect, it } from "vitest";
import { describeCloudOnEngines } from "../support/cloudEngines.js";
import type { TestCloud } from "../support/httpFixture.js";
import { provideEngines } from "../support/storeEngines.js";

/*
 * Findings 1, 4 and 5 of issue 13, over HTTP on SQLite and PostgreSQL: U+0000 anywhere and
 * non-finite numbers gave 500 on PostgreSQL (before the store now: 400 naming the field), and
 * the login limiter could be sidestepped by padding the address or spraying many addresses.
 */

const engines = await provideEngines();
afterAll(async () => {
  for (const engine of engines) await engine.cleanup();
});

const isProblem = (response: { headers: Headers }) =>
  (response.headers.get("content-type") ?? "").startsWith("application/problem+json");

describeCloudOnEngines(engines, "input the store must never see", (start) => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await start();
  });
  afterAll(() => t.stop());

  it("refuses U+0000 in a login, a path parameter and a name with 400 naming the field", async () => {
    const login = await t.call("POST", "/auth/login", {
      body: { email: "a\u0000b@x.example", password: "whatever" },
    });
    expect(login.status).toBe(400);
    expect(isProblem(login)).toBe(true);
    expect(login.body.errors).toEqual([{ field: "body/email", message: expect.any(String) }]);

    const path = await t.call("GET", "/bookings/%00", { token: t.tokens.worker });
    expect(path.status).toBe(400);
    expect(path.body.errors[0].field).toBe("params/bookingId");

    const name = await t.call("POST", "/members", {
      token: t.tokens.coordinator,
      body: { name: "Ann\u0000", email: "nul@example.org", homeCentreId: t.ids.centre },
    });
    expect(name.status).toBe(400);
    expect(name.body.errors[0].field).toBe("body/name");
  });

  it("refuses limit=Infinity and limit=1e400 on every list with 400 naming querystring/limit", async () => {
    for (const path of ["/members", "/access-events", "/audit", "/bookings", "/sessions"]) {
      for (const limit of ["Infinity", "1e400"]) {
        const response = await t.call("GET", `${path}?limit=${limit}`, {
          token: t.tokens.coordinator,
        });
        expect(response.status, `${path}?limit=${limit}`).toBe(400);
        expect(isProblem(response)).toBe(true);
        expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(
          "querystring/limit",
        );
      }
    }
    const worker = await t.call("GET", "/bookings?limit=1e400", { token: t.tokens.worker });
    expect(worker.status).toBe(400);
  });

  it("throttles one account whatever its spelling, even the right password, and audits the lockout", async () => {
    const spellings = [
      "ann@example.org",
      " ann@example.org",
      "ANN@example.org",
      "ann@example.org\t",
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const email = spellings[i % spellings.length] as string;
      statuses.push(
        (await t.call("POST", "/auth/login", { body: { email, password: `guess-${i}` } })).status,
      );
    }
    expect(statuses.every((s) => s === 401)).toBe(true);
    const right = await t.call("POST", "/auth/login", {
      body: { email: " Ann@Example.org ", password: "correct horse battery staple" },
    });
    expect(right.status).toBe(429);
    expect(isProblem(right)).toBe(true);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    const notices = await t.deps.store.db
      .selectFrom("audit_log")
      .select(["subject", "action"])
      .where("action", "=", "login.locked")
      .execute();
    expect(notices).toEqual([{ subject: "account:ann@example.org", action: "login.locked" }]);
  });

  it("throttles one client spraying many addresses", async () => {
    let refused: Awaited<ReturnType<TestCloud["call"]>> | undefined;
    for (let i = 0; i < 40 && refused === undefined; i += 1) {
      const response = await t.call("POST", "/auth/login", {
        body: { email: `spray-${i}@example.org`, password: "guess" },
      });
      if (response.status === 429) refused = response;
      else expect(response.status).toBe(401);
    }
    expect(refused?.body.detail).toMatch(/from this address/);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another account, right password, same client: refused too until the window ends.
    const other = await t.call("POST", "/auth/login", {
      body: { email: t.ids.emails.manager, password: "correct horse battery staple" },
    });
    expect(other.status).toBe(429);
  });
});
