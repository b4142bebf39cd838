import { issueFeedToken } from "../../../src/calendar/feedTokens.js";
import { admin } from "../../support/fixtures.js";
import { deskOfA } from "./bookingTargets.js";
import { anyoneWithTheLink, type MatrixRow, staffOfCentreA, workerOnly } from "./matrixRow.js";

const calendarType = "text/calendar";

/** Rows for cloud/src/http/routes/calendar/ (targets: Ann's feed, a desk of centre A). */
export const calendarRows: MatrixRow[] = [
  { route: "GET /me/calendar-link", expect: workerOnly(200) },
  { route: "DELETE /me/calendar-link", expect: workerOnly(204) },
  {
    route: "GET /calendar/:feedToken.ics",
    // Calendar apps send no Authorization header: the secret in the path is the credential,
    // and a bearer token neither adds nor takes anything.
    expect: anyoneWithTheLink(200),
    mediaType: calendarType,
    prepare: async ({ t }) => {
      const { token } = await issueFeedToken(t.deps, admin, t.ids.workerMemberId);
      return { params: { feedToken: token } };
    },
  },
  {
    route: "GET /resources/:resourceId/calendar.ics",
    expect: staffOfCentreA(200),
    mediaType: calendarType,
    params: { resourceId: deskOfA },
  },
];
