import { createPass } from "../../../src/domain/passes.js";
import { admin } from "../../support/fixtures.js";
import { type MatrixRow, staffOfCentreA, workerOnly } from "./matrixRow.js";

const year = {
  validFrom: "2026-01-01T00:00:00+01:00",
  validTo: "2027-01-01T00:00:00+01:00",
};

const freshPass = async ({ t }: Parameters<NonNullable<MatrixRow["prepare"]>>[0]) => {
  const pass = await createPass(t.deps, admin, {
    memberId: t.ids.workerMemberId,
    kind: "centre-membership",
    validCentreId: "redu",
    validFrom: Date.parse(year.validFrom),
    validTo: Date.parse(year.validTo),
  });
  return { params: { passId: pass.id } };
};

/** Rows for cloud/src/http/routes/passes/ (targets: Ann, a member of centre A). */
export const passRows: MatrixRow[] = [
  {
    route: "GET /members/:memberId/passes",
    expect: staffOfCentreA(200),
    prepare: async ({ t }) => ({ params: { memberId: t.ids.workerMemberId } }),
  },
  {
    route: "POST /members/:memberId/passes",
    expect: staffOfCentreA(201),
    prepare: async ({ t }) => ({
      params: { memberId: t.ids.workerMemberId },
      body: { kind: "centre-membership", validCentreId: "redu", ...year },
    }),
  },
  {
    route: "PATCH /passes/:passId",
    expect: staffOfCentreA(200),
    body: { validFrom: year.validFrom, validTo: "2026-12-01T00:00:00+01:00" },
    prepare: freshPass,
  },
  {
    route: "POST /passes/:passId/revoke",
    expect: staffOfCentreA(200),
    body: { reason: "matrix" },
    prepare: freshPass,
  },
  { route: "GET /me/passes", expect: workerOnly(200) },
];
