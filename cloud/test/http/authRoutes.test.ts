import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember } from "../../src/domain/members.js";
import { grantStaffRole } from "../../src/domain/staff.js";
import { createUser } from "../../src/domain/users.js";
import { type RunningCloud, startCloud } from "../../src/server.js";
import { admin, centre } from "../support/fixtures.js";

describe("authentication routes (the wired cloud, over HTTP)", () => {
  let dataDir: string;
  let cloud: RunningCloud;
  const password = "correct horse battery staple";

  const call = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
    fetch(`${cloud.httpUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  type Json = { [key: string]: unknown } & {
    memberId?: string | null;
    via?: string;
    detail?: string;
    errors?: { field: string }[];
  };
  const json = async (response: Response) => (await response.json()) as Json;
  const login = async (email: string, secret = password) =>
    call("POST", "/auth/login", { body: { email, password: secret } });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "passerelle-auth-"));
    cloud = await startCloud({
      dataDir,
      http: { host: "127.0.0.1", port: 0 },
      broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
      logLevel: "silent",
    });
    const deps = cloud.services.deps;
    await centre(deps, "redu");
    const ann = await createMember(deps, admin, { name: "Ann", email: "ann@example.org" });
    await createUser(deps, admin, { email: "ann@example.org", password, memberId: ann.id });
    const manager = await createUser(deps, admin, { email: "marc@example.org", password });
    await grantStaffRole(deps, admin, { userId: manager.id, role: "manager", centreId: "redu" });
  });
  afterAll(async () => {
    await cloud?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("logs in and tells who is calling, with their roles", async () => {
    const response = await login("ann@example.org");
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    expect(token).toMatch(/^psr_/);
    const me = await json(await call("GET", "/me", { token }));
    expect(me).toMatchObject({ coordinator: false, managerOf: [], via: "session" });
    expect(me.memberId).not.toBeNull();
    const manager = (await (await login("marc@example.org")).json()) as { token: string };
    expect(await json(await call("GET", "/me", { token: manager.token }))).toMatchObject({
      memberId: null,
      managerOf: ["redu"],
    });
  });

  it("refuses a wrong password and an unknown e-mail alike", async () => {
    const wrong = await login("marc@example.org", "not the password");
    const unknown = await login("nobody@example.org");
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect((await json(wrong)).detail).toBe((await json(unknown)).detail);
    expect(wrong.headers.get("content-type")).toContain("application/problem+json");
  });

  it("rate-limits login attempts: the 11th in a minute gets 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1)
      statuses.push((await login("target@example.org", `guess-${i}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it("rejects an invalid body naming the field", async () => {
    const response = await call("POST", "/auth/login", { body: { email: "ann@example.org" } });
    expect(response.status).toBe(400);
    expect((await json(response)).errors?.map((e) => e.field)).toContain("body/password");
  });

  it("issues an API token once, lists it without its secret, and revokes it", async () => {
    const { token: session } = (await (await login("ann@example.org")).json()) as { token: string };
    const created = await call("POST", "/me/tokens", {
      token: session,
      body: { name: "calendar sync", validDays: 30 },
    });
    expect(created.status).toBe(201);
    const { id, token: apiToken } = (await created.json()) as { id: string; token: string };
    expect((await json(await call("GET", "/me", { token: apiToken }))).via).toBe("api-token");
    const listed = await (await call("GET", "/me/tokens", { token: session })).text();
    expect(listed).toContain("calendar sync");
    expect(listed).not.toContain(apiToken);
    // Another user cannot revoke it, and cannot learn it exists.
    const { token: marc } = (await (await login("marc@example.org")).json()) as { token: string };
    expect((await call("DELETE", `/me/tokens/${id}`, { token: marc })).status).toBe(404);
    expect((await call("DELETE", `/me/tokens/${id}`, { token: session })).status).toBe(204);
    expect((await call("GET", "/me", { token: apiToken })).status).toBe(401);
  });

  it("logs out: the session token stops working", async () => {
    const { token } = (await (await login("ann@example.org")).json()) as { token: string };
    expect((await call("POST", "/auth/logout", { token })).status).toBe(204);
    expect((await call("GET", "/me", { token })).status).toBe(401);
    expect((await call("GET", "/me")).status).toBe(401);
  });

  it("documents the routes in the OpenAPI document", async () => {
    const doc = (await (await fetch(`${cloud.httpUrl}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/auth/login", "/api/v1/me", "/api/v1/me/tokens"]),
    );
  });
});
