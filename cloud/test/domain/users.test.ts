import { beforeEach, expect, it } from "vitest";
import {
  authenticateToken,
  issueToken,
  listTokens,
  revokeToken,
} from "../../src/domain/authTokens.js";
import { createMember } from "../../src/domain/members.js";
import {
  getPrincipal,
  grantStaffRole,
  listStaffRoles,
  revokeStaffRole,
} from "../../src/domain/staff.js";
import { createUser, setPassword, setUserDisabled, verifyLogin } from "../../src/domain/users.js";
import { expectDomainError } from "../support/expectDomainError.js";
import { admin, centre, type RecordingDeps, recordingDeps } from "../support/fixtures.js";
import { describeOnEngines, provideEngines } from "../support/storeEngines.js";

const engines = await provideEngines();
const PASSWORD = "a long enough passphrase";

describeOnEngines(engines, "users, staff roles and tokens", (harness) => {
  let deps: RecordingDeps;

  beforeEach(async () => {
    deps = recordingDeps(await harness.freshStore());
    await centre(deps, "redu");
    await centre(deps, "liege");
    deps.accessChanges.length = 0;
  });

  it("logs in with e-mail and password, stored as a scrypt hash", async () => {
    const user = await createUser(deps, admin, { email: "Boss@Example.org", password: PASSWORD });
    expect(user).not.toHaveProperty("passwordHash");
    const row = await deps.store.db.selectFrom("users").selectAll().executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect((await verifyLogin(deps, "boss@example.org", PASSWORD))?.id).toBe(user.id);
    expect(await verifyLogin(deps, "boss@example.org", "wrong password!")).toBeUndefined();
    expect(await verifyLogin(deps, "nobody@example.org", PASSWORD)).toBeUndefined();
    await setUserDisabled(deps, admin, user.id, true);
    expect(await verifyLogin(deps, "boss@example.org", PASSWORD)).toBeUndefined();
  });

  it("refuses short passwords, duplicate e-mails and a second login for one member", async () => {
    await expectDomainError(
      createUser(deps, admin, { email: "a@example.org", password: "short" }),
      "invalid",
      "password",
    );
    const member = await createMember(deps, admin, { name: "Ann", email: "ann@example.org" });
    await createUser(deps, admin, {
      email: "ann@example.org",
      password: PASSWORD,
      memberId: member.id,
    });
    await expectDomainError(
      createUser(deps, admin, { email: "ANN@example.org", password: PASSWORD }),
      "conflict",
      "email",
    );
    await expectDomainError(
      createUser(deps, admin, {
        email: "ann2@example.org",
        password: PASSWORD,
        memberId: member.id,
      }),
      "conflict",
      "memberId",
    );
  });

  it("grants manager and coordinator roles and derives the principal", async () => {
    const member = await createMember(deps, admin, { name: "Mo", email: "mo@example.org" });
    const user = await createUser(deps, admin, {
      email: "mo@example.org",
      password: PASSWORD,
      memberId: member.id,
    });
    await grantStaffRole(deps, admin, { userId: user.id, role: "manager", centreId: "redu" });
    expect(deps.accessChanges).toEqual([["redu"]]);
    await grantStaffRole(deps, admin, { userId: user.id, role: "manager", centreId: "liege" });
    expect(await getPrincipal(deps, user.id)).toEqual({
      userId: user.id,
      memberId: member.id,
      coordinator: false,
      managerOf: ["liege", "redu"],
    });
    await expectDomainError(
      grantStaffRole(deps, admin, { userId: user.id, role: "manager", centreId: "redu" }),
      "conflict",
    );
    await expectDomainError(
      grantStaffRole(deps, admin, { userId: user.id, role: "manager" }),
      "invalid",
      "centreId",
    );
    await expectDomainError(
      grantStaffRole(deps, admin, { userId: user.id, role: "coordinator", centreId: "redu" }),
      "invalid",
      "centreId",
    );
    await grantStaffRole(deps, admin, { userId: user.id, role: "coordinator" });
    expect((await getPrincipal(deps, user.id)).coordinator).toBe(true);
    const [redu] = await listStaffRoles(deps, { userId: user.id, centreId: "redu" });
    await revokeStaffRole(deps, admin, redu?.id ?? "");
    expect((await getPrincipal(deps, user.id)).managerOf).toEqual(["liege"]);
  });

  it("issues tokens shown once, stored hashed, that expire and can be revoked", async () => {
    const user = await createUser(deps, admin, { email: "t@example.org", password: PASSWORD });
    const { token, record } = await issueToken(deps, `user:${user.id}`, {
      userId: user.id,
      kind: "api",
      name: "export script",
      ttlMs: 60 * 60 * 1000,
    });
    expect(token).toMatch(/^psr_/);
    const stored = JSON.stringify(
      await deps.store.db.selectFrom("auth_tokens").selectAll().execute(),
    );
    expect(stored).not.toContain(token.slice(4));
    expect((await authenticateToken(deps, token))?.id).toBe(record.id);
    expect(await authenticateToken(deps, `${token}x`)).toBeUndefined();
    deps.clock.advance(60 * 60 * 1000);
    expect(await authenticateToken(deps, token)).toBeUndefined();

    const session = await issueToken(deps, `user:${user.id}`, { userId: user.id, kind: "session" });
    expect(await authenticateToken(deps, session.token)).toBeDefined();
    await revokeToken(deps, `user:${user.id}`, session.record.id);
    expect(await authenticateToken(deps, session.token)).toBeUndefined();
    expect(await listTokens(deps, user.id)).toHaveLength(2);
  });

  it("ends open sessions when the password changes or the user is disabled", async () => {
    const user = await createUser(deps, admin, { email: "s@example.org", password: PASSWORD });
    const session = await issueToken(deps, `user:${user.id}`, { userId: user.id, kind: "session" });
    await setPassword(deps, `user:${user.id}`, user.id, "another long passphrase");
    expect(await authenticateToken(deps, session.token)).toBeUndefined();
    expect(await verifyLogin(deps, "s@example.org", "another long passphrase")).toBeDefined();
    const api = await issueToken(deps, admin, { userId: user.id, kind: "api", ttlMs: 3_600_000 });
    await setUserDisabled(deps, admin, user.id, true);
    expect(await authenticateToken(deps, api.token)).toBeUndefined();
  });
});
