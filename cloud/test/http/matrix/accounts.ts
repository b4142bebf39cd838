import { createInvitation } from "../../../src/accounts/invitations.js";
import { requestPasswordReset } from "../../../src/accounts/passwordReset.js";
import { grantStaffRole } from "../../../src/domain/staff.js";
import { createUser } from "../../../src/domain/users.js";
import { admin } from "../../support/fixtures.js";
import { password } from "../../support/httpFixture.js";
import {
  anyoneLoggedIn,
  anyoneWithTheLink,
  anyStaff,
  type Expectations,
  type MatrixContext,
  type MatrixRow,
} from "./matrixRow.js";

const coordinatorScope = { userId: "admin", coordinator: true, managerOf: [] };

/** Acts on staff of centre A: its manager and the coordinator; B's manager is refused (403). */
const staffWorkOfCentreA = (ok: number, otherManager = 403): Expectations => ({
  anonymous: 401,
  worker: 403,
  otherWorker: 403,
  manager: ok,
  otherManager,
  coordinator: ok,
});

/** A fresh login managing centre A (so one role's call cannot change what the next meets). */
async function freshManagerOfA({ t, unique }: MatrixContext) {
  const user = await createUser(t.deps, admin, { email: `${unique()}@example.org`, password });
  const grant = await grantStaffRole(t.deps, admin, {
    userId: user.id,
    role: "manager",
    centreId: t.ids.centre,
  });
  return { user, grant };
}

/** A fresh login's session: changing a password or signing out everywhere ends its sessions. */
async function freshSession(ctx: MatrixContext, role: string) {
  if (role === "anonymous") return {};
  const email = `${ctx.unique()}@example.org`;
  await createUser(ctx.t.deps, admin, { email, password });
  return { token: await ctx.t.login(email) };
}

/** Rows for cloud/src/http/routes/accounts/. */
export const accountRows: MatrixRow[] = [
  {
    route: "POST /invitations",
    expect: staffWorkOfCentreA(201),
    prepare: async ({ t, unique }) => ({
      body: { role: "manager", email: `${unique()}@example.org`, centreIds: [t.ids.centre] },
    }),
  },
  { route: "GET /invitations", expect: anyStaff(200) },
  {
    route: "POST /invitations/accept",
    expect: anyoneWithTheLink(201),
    prepare: async ({ t, unique }) => {
      const { token } = await createInvitation(t.deps, admin, coordinatorScope, {
        role: "manager",
        email: `${unique()}@example.org`,
        centreIds: [t.ids.centre],
      });
      return { body: { token, password } };
    },
  },
  {
    route: "POST /auth/password-reset",
    expect: anyoneWithTheLink(202),
    prepare: async ({ unique }) => ({ body: { email: `${unique()}@example.org` } }),
  },
  {
    route: "POST /auth/password-reset/confirm",
    expect: anyoneWithTheLink(200),
    prepare: async ({ t, unique }) => {
      const email = `${unique()}@example.org`;
      await createUser(t.deps, admin, { email, password });
      const found = await requestPasswordReset(t.deps, email);
      return { body: { token: found?.token, password } };
    },
  },
  {
    route: "POST /me/password",
    expect: anyoneLoggedIn(200),
    body: { currentPassword: password, newPassword: password },
    prepare: freshSession,
  },
  { route: "POST /me/sign-out-everywhere", expect: anyoneLoggedIn(200), prepare: freshSession },
  { route: "GET /staff", expect: anyStaff(200) },
  {
    route: "POST /staff/roles",
    expect: staffWorkOfCentreA(201),
    prepare: async ({ t, unique }) => {
      const email = `${unique()}@example.org`;
      await createUser(t.deps, admin, { email, password });
      return { body: { email, role: "manager", centreId: t.ids.centre } };
    },
  },
  {
    route: "DELETE /staff/roles/:id",
    expect: staffWorkOfCentreA(204, 404),
    prepare: async (ctx) => ({ params: { id: (await freshManagerOfA(ctx)).grant.id } }),
  },
  {
    route: "POST /users/:userId/disable",
    expect: staffWorkOfCentreA(200),
    prepare: async (ctx) => ({ params: { userId: (await freshManagerOfA(ctx)).user.id } }),
  },
  {
    route: "POST /users/:userId/enable",
    expect: staffWorkOfCentreA(200),
    prepare: async (ctx) => ({ params: { userId: (await freshManagerOfA(ctx)).user.id } }),
  },
];
