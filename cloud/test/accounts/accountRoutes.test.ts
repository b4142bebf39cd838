import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMember } from "../../src/domain/members.js";
import { createUser } from "../../src/domain/users.js";
import type { MailMessage } from "../../src/mail/mailer.js";
import { admin } from "../support/fixtures.js";
import { password, startTestCloud, type TestCloud } from "../support/httpFixture.js";

const newPassword = "a brand new passphrase";

describe("accounts: invitations, password reset and change, staff (over HTTP)", () => {
  let t: TestCloud;
  const mails: MailMessage[] = [];
  let counter = 0;
  const fresh = () => {
    counter += 1;
    return `person${counter}@example.org`;
  };
  const linkToken = (text: string) => /token=([A-Za-z0-9_%-]+)/.exec(text)?.[1] ?? "";
  const count = async (table: "users" | "staff_roles" | "account_links") =>
    (await t.deps.store.db.selectFrom(table).select("id").execute()).length;

  beforeAll(async () => {
    t = await startTestCloud({
      mailer: { send: async (message) => void mails.push(message) },
      publicUrl: "https://console.example.org",
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const invite = (token: string, body: unknown) => t.call("POST", "/invitations", { token, body });
  const accept = (token: string, secret = password) =>
    t.call("POST", "/invitations/accept", { body: { token, password: secret } });

  it("a coordinator invites a manager: e-mail and copy link, single use, audited", async () => {
    const email = fresh();
    const made = await invite(t.tokens.coordinator, {
      role: "manager",
      email,
      centreIds: [t.ids.centre],
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ email, role: "manager", centreIds: ["redu"], emailed: true });
    expect(made.body.link).toMatch(
      /^https:\/\/console\.example\.org\/accept-invitation\?token=psi_/,
    );
    const mail = mails.at(-1) as MailMessage;
    expect(mail.to).toBe(email);
    const token = decodeURIComponent(linkToken(mail.text));
    expect(made.body.link).toContain(encodeURIComponent(token));
    // Only the hash is stored.
    const rows = await t.deps.store.db.selectFrom("account_links").selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect((await t.call("GET", "/invitations", { token: t.tokens.manager })).body).toEqual(
      expect.arrayContaining([expect.objectContaining({ email })]),
    );
    expect((await t.call("GET", "/invitations", { token: t.tokens.otherManager })).body).toEqual(
      [],
    );

    expect((await accept(token)).status).toBe(201);
    const session = await t.login(email);
    const me = await t.call("GET", "/me", { token: session });
    expect(me.body).toMatchObject({ coordinator: false, managerOf: ["redu"], memberId: null });

    const again = await accept(token, newPassword);
    expect(again.status).toBe(400);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    expect(again.body.detail).toMatch(/already used/);
    expect(t.logLines().join("\n")).not.toContain(token);

    const audit = await t.call("GET", "/audit?limit=200", { token: t.tokens.coordinator });
    const actions = JSON.stringify(audit.body);
    expect(actions).toContain("invitation.create");
    expect(actions).toContain("invitation.accept");
  });

  it("refuses forged and expired invitation links, writing nothing", async () => {
    const [users, roles] = [await count("users"), await count("staff_roles")];
    const forged = await accept("psi_thisIsNotARealToken");
    expect(forged.status).toBe(400);
    expect(forged.body.detail).toMatch(/not valid/);

    const made = await invite(t.tokens.coordinator, {
      role: "manager",
      email: fresh(),
      centreIds: [t.ids.centre],
    });
    await t.deps.store.db
      .updateTable("account_links")
      .set({ expires_at: Date.now() - 1 })
      .where("id", "=", made.body.id)
      .execute();
    const expired = await accept(decodeURIComponent(linkToken(made.body.link)));
    expect(expired.status).toBe(400);
    expect(expired.body.detail).toMatch(/expired/);
    expect([await count("users"), await count("staff_roles")]).toEqual([users, roles]);
  });

  it("refuses an invitation to an address that already has a login", async () => {
    const links = await count("account_links");
    const taken = await invite(t.tokens.coordinator, {
      role: "coordinator",
      email: t.ids.emails.worker,
    });
    expect(taken.status).toBe(409);
    expect(taken.body.detail).toMatch(/already exists/);
    expect(await count("account_links")).toBe(links);
  });

  it("keeps a manager within their centres: invitations, roles, coordinators", async () => {
    const [links, roles] = [await count("account_links"), await count("staff_roles")];
    const elsewhere = await invite(t.tokens.manager, {
      role: "manager",
      email: fresh(),
      centreIds: [t.ids.otherCentre],
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.detail).toMatch(/within their centres/);
    expect((await invite(t.tokens.manager, { role: "coordinator", email: fresh() })).status).toBe(
      403,
    );

    const email = fresh();
    await createUser(t.deps, admin, { email, password });
    const grantOutside = await t.call("POST", "/staff/roles", {
      token: t.tokens.manager,
      body: { email, role: "manager", centreId: t.ids.otherCentre },
    });
    expect(grantOutside.status).toBe(403);
    const grantCoordinator = await t.call("POST", "/staff/roles", {
      token: t.tokens.manager,
      body: { email, role: "coordinator" },
    });
    expect(grantCoordinator.status).toBe(403);
    expect([await count("account_links"), await count("staff_roles")]).toEqual([links, roles]);

    const disableCoordinator = await t.call("POST", `/users/${t.ids.userIds.coordinator}/disable`, {
      token: t.tokens.manager,
    });
    expect(disableCoordinator.status).toBe(403);

    const grant = await t.call("POST", "/staff/roles", {
      token: t.tokens.manager,
      body: { email, role: "manager", centreId: t.ids.centre },
    });
    expect(grant.status).toBe(201);
    const staff = await t.call("GET", "/staff", { token: t.tokens.otherManager });
    expect(JSON.stringify(staff.body)).not.toContain(email);
    const removed = await t.call("DELETE", `/staff/roles/${grant.body.id}`, {
      token: t.tokens.manager,
    });
    expect(removed.status).toBe(204);
  });

  it("lets a manager invite a member of their centre only", async () => {
    const here = await createMember(t.deps, admin, {
      name: "Cleo",
      email: fresh(),
      homeCentreId: t.ids.centre,
    });
    const there = await createMember(t.deps, admin, {
      name: "Dirk",
      email: fresh(),
      homeCentreId: t.ids.otherCentre,
    });
    expect((await invite(t.tokens.manager, { role: "member", memberId: there.id })).status).toBe(
      403,
    );
    const made = await invite(t.tokens.manager, { role: "member", memberId: here.id });
    expect(made.status).toBe(201);
    expect((await accept(decodeURIComponent(linkToken(made.body.link)))).status).toBe(201);
    const session = await t.login(here.email);
    expect((await t.call("GET", "/me", { token: session })).body.memberId).toBe(here.id);
    const hasLogin = await invite(t.tokens.manager, {
      role: "member",
      memberId: t.ids.workerMemberId,
    });
    expect(hasLogin.status).toBe(409);
  });

  it("resets a forgotten password by e-mail, same answer whether the address exists", async () => {
    const email = fresh();
    await createUser(t.deps, admin, { email, password });
    const oldSession = await t.login(email);
    const before = mails.length;
    const known = await t.call("POST", "/auth/password-reset", { body: { email } });
    const unknown = await t.call("POST", "/auth/password-reset", {
      body: { email: "nobody.at.all@example.org" },
    });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.text).toBe(unknown.text);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mails.length).toBe(before + 1);
    const token = decodeURIComponent(linkToken((mails.at(-1) as MailMessage).text));
    expect((mails.at(-1) as MailMessage).text).toContain(
      "https://console.example.org/reset-password?token=psp_",
    );

    const confirm = (secret: string) =>
      t.call("POST", "/auth/password-reset/confirm", { body: { token, password: secret } });
    const short = await confirm("short");
    expect(short.status).toBe(400);
    expect((await confirm(newPassword)).status).toBe(200);
    expect((await t.call("GET", "/me", { token: oldSession })).status).toBe(401);
    await t.login(email, newPassword);
    const used = await confirm("yet another passphrase");
    expect(used.status).toBe(400);
    expect(used.body.detail).toMatch(/already used/);
    const forged = await t.call("POST", "/auth/password-reset/confirm", {
      body: { token: "psp_forged", password: newPassword },
    });
    expect(forged.status).toBe(400);
    // An invitation token is not a reset token.
    const made = await invite(t.tokens.coordinator, { role: "coordinator", email: fresh() });
    const crossed = await t.call("POST", "/auth/password-reset/confirm", {
      body: { token: decodeURIComponent(linkToken(made.body.link)), password: newPassword },
    });
    expect(crossed.status).toBe(400);
  });

  it("refuses an expired reset link", async () => {
    const email = fresh();
    const user = await createUser(t.deps, admin, { email, password });
    await t.call("POST", "/auth/password-reset", { body: { email } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const token = decodeURIComponent(linkToken((mails.at(-1) as MailMessage).text));
    await t.deps.store.db
      .updateTable("account_links")
      .set({ expires_at: Date.now() - 1 })
      .where("user_id", "=", user.id)
      .execute();
    const expired = await t.call("POST", "/auth/password-reset/confirm", {
      body: { token, password: newPassword },
    });
    expect(expired.status).toBe(400);
    expect(expired.body.detail).toMatch(/expired/);
    await t.login(email, password);
  });

  it("rate-limits reset requests per address: the 6th in 15 minutes gets 429", async () => {
    const email = fresh();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      statuses.push((await t.call("POST", "/auth/password-reset", { body: { email } })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it("changes a password (given the current one) and signs out everywhere", async () => {
    const email = fresh();
    await createUser(t.deps, admin, { email, password });
    const first = await t.login(email);
    const second = await t.login(email);
    const wrong = await t.call("POST", "/me/password", {
      token: first,
      body: { currentPassword: "not it at all", newPassword },
    });
    expect(wrong.status).toBe(400);
    const changed = await t.call("POST", "/me/password", {
      token: first,
      body: { currentPassword: password, newPassword },
    });
    expect(changed.status).toBe(200);
    expect((await t.call("GET", "/me", { token: second })).status).toBe(401);
    const fresher = changed.body.token as string;
    expect((await t.call("GET", "/me", { token: fresher })).status).toBe(200);
    const other = await t.login(email, newPassword);
    const out = await t.call("POST", "/me/sign-out-everywhere", { token: fresher });
    expect(out.body).toEqual({ sessionsEnded: 2 });
    expect((await t.call("GET", "/me", { token: fresher })).status).toBe(401);
    expect((await t.call("GET", "/me", { token: other })).status).toBe(401);
  });

  it("a disabled login's token stops on its next request; enabling restores the login", async () => {
    const email = fresh();
    const user = await createUser(t.deps, admin, { email, password });
    await t.call("POST", "/staff/roles", {
      token: t.tokens.coordinator,
      body: { userId: user.id, role: "manager", centreId: t.ids.centre },
    });
    const session = await t.login(email);
    expect((await t.call("GET", "/me", { token: session })).status).toBe(200); // now cached
    const disabled = await t.call("POST", `/users/${user.id}/disable`, { token: t.tokens.manager });
    expect(disabled.body).toEqual({ userId: user.id, disabled: true });
    expect((await t.call("GET", "/me", { token: session })).status).toBe(401);
    const reset = await t.call("POST", "/auth/password-reset", { body: { email } });
    expect(reset.status).toBe(202);
    expect(
      (await t.call("POST", `/users/${user.id}/enable`, { token: t.tokens.manager })).status,
    ).toBe(200);
    await t.login(email);
    const self = await t.call("POST", `/users/${t.ids.userIds.manager}/disable`, {
      token: t.tokens.manager,
    });
    expect(self.status).toBe(409);
  });
});
