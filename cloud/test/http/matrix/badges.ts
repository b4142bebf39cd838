import { randomBytes } from "node:crypto";
import { issueBadge } from "../../../src/domain/badges.js";
import { admin } from "../../support/fixtures.js";
import { freshCardUid, sunUrlOf } from "../../support/sunCards.js";
import { type MatrixRow, staffOfCentreA, workerOnly } from "./matrixRow.js";

const freshUid = () => randomBytes(7).toString("hex");

/** Rows for cloud/src/http/routes/badges/ (targets: Ann, a member of centre A). */
export const badgeRows: MatrixRow[] = [
  {
    route: "GET /members/:memberId/badges",
    expect: staffOfCentreA(200),
    prepare: async ({ t }) => ({ params: { memberId: t.ids.workerMemberId } }),
  },
  {
    route: "POST /members/:memberId/badges",
    expect: staffOfCentreA(201),
    prepare: async ({ t }) => ({
      params: { memberId: t.ids.workerMemberId },
      body: { uid: freshUid() },
    }),
  },
  {
    route: "POST /members/:memberId/badges/secure-card",
    expect: staffOfCentreA(201),
    prepare: async ({ t }) => ({
      params: { memberId: t.ids.workerMemberId },
      body: { sunUrl: sunUrlOf(freshCardUid(), 1) },
    }),
  },
  {
    route: "POST /badges/:badgeId/revoke",
    expect: staffOfCentreA(200),
    body: { reason: "matrix" },
    prepare: async ({ t }) => {
      const badge = await issueBadge(t.deps, admin, {
        memberId: t.ids.workerMemberId,
        uid: freshUid(),
      });
      return { params: { badgeId: badge.id } };
    },
  },
  {
    route: "PUT /badges/:badgeId/pin",
    expect: staffOfCentreA(200),
    body: { pin: "2468" },
    prepare: async ({ t }) => {
      const badge = await issueBadge(t.deps, admin, {
        memberId: t.ids.workerMemberId,
        uid: freshUid(),
      });
      return { params: { badgeId: badge.id } };
    },
  },
  { route: "GET /me/badges", expect: workerOnly(200) },
];
