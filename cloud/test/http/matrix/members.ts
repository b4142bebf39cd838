import { createMember } from "../../../src/domain/members.js";
import { admin } from "../../support/fixtures.js";
import { anyStaff, type MatrixRow, staffOfCentreA } from "./matrixRow.js";

type Ctx = Parameters<NonNullable<MatrixRow["prepare"]>>[0];

/** A new member of centre A (redu). */
export async function freshMemberOfA({ t, unique }: Ctx): Promise<string> {
  const suffix = unique();
  const member = await createMember(t.deps, admin, {
    name: `Member ${suffix}`,
    email: `member.${suffix}@example.org`,
    homeCentreId: "redu",
  });
  return member.id;
}

/** Rows for cloud/src/http/routes/members/ (targets: members of centre A, redu). */
export const memberRows: MatrixRow[] = [
  { route: "GET /members", expect: anyStaff(200) },
  {
    route: "POST /members",
    expect: staffOfCentreA(201),
    prepare: async ({ unique }) => {
      const suffix = unique();
      return { body: { name: "New", email: `new.${suffix}@example.org`, homeCentreId: "redu" } };
    },
  },
  {
    route: "GET /members/:memberId",
    expect: staffOfCentreA(200),
    prepare: async ({ t }) => ({ params: { memberId: t.ids.workerMemberId } }),
  },
  {
    route: "PATCH /members/:memberId",
    expect: staffOfCentreA(200),
    body: { language: "en" },
    prepare: async (ctx) => ({ params: { memberId: await freshMemberOfA(ctx) } }),
  },
  {
    route: "DELETE /members/:memberId",
    expect: staffOfCentreA(200),
    prepare: async (ctx) => ({ params: { memberId: await freshMemberOfA(ctx) } }),
  },
];
