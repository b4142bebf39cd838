import { afterAll, beforeAll, expect, it } from "vitest";
import { base32Decode, hotp, timeStep } from "../../src/security/totp.js";
import { describeCloudOnEngines } from "../support/cloudEngines.js";
import { password, type TestCloud } from "../support/httpFixture.js";
import { provideEngines } from "../support/storeEngines.js";

/*
 * A staff login's TOTP second factor over HTTP, on SQLite and PostgreSQL: enrol, confirm, log
 * in with the code (not twice with the same one), with a recovery code (once), remove; the key
 * is never stored or logged plain; every step is in the audit log.
 */
const engines = await provideEngines();
afterAll(async () => {
  for (const engine of engines) await engine.cleanup();
});

describeCloudOnEngines(engines, "TOTP second factor for staff", (start) => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await start();
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  const email = () => t.ids.emails.manager;
  const login = (code?: string) =>
    t.call("POST", "/auth/login", {
      body: { email: email(), password, ...(code === undefined ? {} : { code }) },
    });
  /** The code of a time step from now (the server accepts one step either side). */
  const codeAt = (key: Buffer, offset: number) => hotp(key, BigInt(timeStep(Date.now()) + offset));

  it("enrols, then asks the code at every login, refuses a replay, and takes a recovery code once", async () => {
    const token = t.tokens.manager;
    expect((await t.call("GET", "/me/second-factor", { token })).body).toEqual({
      state: "none",
      recoveryCodesLeft: 0,
    });
    // A worker has no second factor to manage.
    expect((await t.call("POST", "/me/second-factor", { token: t.tokens.worker })).status).toBe(
      403,
    );

    const started = await t.call("POST", "/me/second-factor", { token });
    expect(started.status).toBe(201);
    const uri = new URL(started.body.otpauthUri);
    const key = base32Decode(uri.searchParams.get("secret") ?? "");
    expect(started.body.secret).toBe(uri.searchParams.get("secret"));
    // Pending: the login does not ask a code yet.
    expect((await login()).status).toBe(200);

    const wrong = await t.call("POST", "/me/second-factor/confirm", {
      token,
      body: { code: "000000" === codeAt(key, -1) ? "111111" : "000000" },
    });
    expect(wrong.status).toBe(400);
    const confirmed = await t.call("POST", "/me/second-factor/confirm", {
      token,
      body: { code: codeAt(key, -1) },
    });
    expect(confirmed.status).toBe(200);
    const recovery = confirmed.body.recoveryCodes as string[];
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);

    const missing = await login();
    expect(missing.status).toBe(401);
    expect(missing.body.errors).toEqual([{ field: "body/code", message: "required" }]);
    const bad = await login("123456" === codeAt(key, 0) ? "654321" : "123456");
    expect(bad.status).toBe(401);
    expect(bad.body.detail).toMatch(/code is wrong/);

    const code = codeAt(key, 0);
    const ok = await login(code);
    expect(ok.status).toBe(200);
    expect((await t.call("GET", "/me", { token: ok.body.token })).body.managerOf).toEqual([
      t.ids.centre,
    ]);
    // The same code again: refused (RFC 6238 §5.2).
    expect((await login(code)).status).toBe(401);
    // A wrong password is still "e-mail or password", before any code is asked.
    const wrongPassword = await t.call("POST", "/auth/login", {
      body: { email: email(), password: "not the password at all", code: codeAt(key, 1) },
    });
    expect(wrongPassword.body.detail).toMatch(/e-mail or password/);

    const [first] = recovery;
    expect((await login((first as string).toUpperCase())).status).toBe(200);
    expect((await login(first)).status).toBe(401);
    expect((await t.call("GET", "/me/second-factor", { token })).body).toEqual({
      state: "enabled",
      recoveryCodesLeft: 9,
    });

    // Never stored or logged plain: neither the key nor a recovery code.
    const base32 = uri.searchParams.get("secret") as string;
    const rows = JSON.stringify([
      await t.deps.store.db.selectFrom("second_factors").selectAll().execute(),
      await t.deps.store.db.selectFrom("recovery_codes").selectAll().execute(),
      await t.deps.store.db.selectFrom("audit_log").selectAll().execute(),
    ]);
    const logs = t.logLines().join("\n");
    for (const secret of [base32, key.toString("base64url"), key.toString("hex"), recovery[1]]) {
      expect(rows).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }

    const removeWrong = await t.call("POST", "/me/second-factor/remove", {
      token,
      body: { code: "zzzzz-zzzzz" },
    });
    expect(removeWrong.status).toBe(400);
    const removed = await t.call("POST", "/me/second-factor/remove", {
      token,
      body: { code: recovery[2] },
    });
    expect(removed.status).toBe(204);
    expect((await login()).status).toBe(200);

    const audit = JSON.stringify(
      (await t.call("GET", "/audit?limit=200", { token: t.tokens.coordinator })).body,
    );
    for (const action of [
      "user.totp-start",
      "user.totp-enable",
      "user.recovery-code-use",
      "user.totp-remove",
    ])
      expect(audit).toContain(action);
  });

  it("a coordinator removes the factor of someone who lost their phone; a manager cannot", async () => {
    const token = t.tokens.otherManager;
    const started = await t.call("POST", "/me/second-factor", { token });
    const key = base32Decode(new URL(started.body.otpauthUri).searchParams.get("secret") ?? "");
    await t.call("POST", "/me/second-factor/confirm", { token, body: { code: codeAt(key, 0) } });
    const userId = t.ids.userIds.otherManager;
    const path = `/staff/${userId}/second-factor/remove`;
    expect((await t.call("POST", path, { token: t.tokens.manager })).status).toBe(403);
    expect((await t.call("POST", path, { token: t.tokens.coordinator })).status).toBe(204);
    const again = await t.call("POST", "/auth/login", {
      body: { email: t.ids.emails.otherManager, password },
    });
    expect(again.status).toBe(200);
  });
});
