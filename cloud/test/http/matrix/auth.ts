import { issueToken } from "../../../src/domain/authTokens.js";
import { password } from "../../support/httpFixture.js";
import { anyoneLoggedIn, type MatrixRow } from "./matrixRow.js";

/** Rows for cloud/src/http/routes/auth/authRoutes.ts. */
export const authRows: MatrixRow[] = [
  {
    route: "POST /auth/login",
    // Public: each role logs in with its own account; the anonymous caller has none (401).
    expect: anyoneLoggedIn(200),
    prepare: async ({ t }, role) => ({
      body:
        role === "anonymous"
          ? { email: "nobody@example.org", password }
          : { email: t.ids.emails[role], password },
    }),
  },
  {
    route: "POST /auth/logout",
    expect: anyoneLoggedIn(204),
    // A fresh session each time: logging out the fixture's token would break later rows.
    prepare: async ({ t }, role) =>
      role === "anonymous" ? {} : { token: await t.login(t.ids.emails[role]) },
  },
  { route: "GET /me", expect: anyoneLoggedIn(200) },
  { route: "GET /me/tokens", expect: anyoneLoggedIn(200) },
  { route: "POST /me/tokens", expect: anyoneLoggedIn(201), body: { name: "matrix" } },
  {
    route: "DELETE /me/tokens/:id",
    expect: anyoneLoggedIn(204),
    prepare: async ({ t }, role) => {
      const userId = t.ids.userIds[role === "anonymous" ? "worker" : role];
      const { record } = await issueToken(t.deps, `user:${userId}`, {
        userId,
        kind: "api",
        name: "to revoke",
      });
      return { params: { id: record.id } };
    },
  },
];
