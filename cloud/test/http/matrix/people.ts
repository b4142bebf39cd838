import { grantStaffRole } from "../../../src/domain/staff.js";
import { createUser } from "../../../src/domain/users.js";
import { admin } from "../../support/fixtures.js";
import { password } from "../../support/httpFixture.js";
import { anyStaff, coordinatorOnly, type MatrixRow } from "./matrixRow.js";

/** A staff role's own second factor, and importing members from CSV (issue 16). */
export const peopleRows: readonly MatrixRow[] = [
  { route: "GET /me/second-factor", expect: anyStaff(200) },
  { route: "POST /me/second-factor", expect: anyStaff(201) },
  // No enrolment code is "000000" by chance often enough to matter: a wrong code is 400.
  {
    route: "POST /me/second-factor/confirm",
    expect: anyStaff(400),
    body: { code: "000000" },
  },
  {
    // An enrolment not yet confirmed is given up without a code.
    route: "POST /me/second-factor/remove",
    expect: anyStaff(204),
    body: {},
    prepare: async ({ t }, role) => {
      if (role === "manager" || role === "otherManager" || role === "coordinator")
        await t.call("POST", "/me/second-factor", { token: t.tokens[role] });
      return {};
    },
  },
  {
    route: "POST /staff/:userId/second-factor/remove",
    expect: coordinatorOnly(204),
    prepare: async ({ t, unique }) => {
      const email = `${unique()}@example.org`;
      const user = await createUser(t.deps, admin, { email, password });
      await grantStaffRole(t.deps, admin, {
        userId: user.id,
        role: "manager",
        centreId: t.ids.centre,
      });
      await t.call("POST", "/me/second-factor", { token: await t.login(email) });
      return { params: { userId: user.id } };
    },
  },
  {
    // Every staff member may check a file; what it may name is said per line.
    route: "POST /members/import/preview",
    expect: anyStaff(200),
    body: { csv: "name,email,home_centre\nNew,new.preview@example.org,redu\n" },
  },
  {
    // B's manager may not import into A: a problem on the line, nothing written.
    route: "POST /members/import",
    expect: { ...anyStaff(201), otherManager: 400 },
    prepare: async ({ unique }) => ({
      body: { csv: `name,email,home_centre\nNew,new.${unique()}@example.org,redu\n` },
    }),
  },
];
