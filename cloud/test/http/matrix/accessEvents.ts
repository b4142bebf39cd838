import { type MatrixRow, staffOfCentreA, workerOnly } from "./matrixRow.js";

/** Rows for cloud/src/http/routes/accessEvents/ (target: centre A's log, ?centreId=redu). */
export const accessEventRows: MatrixRow[] = [
  {
    route: "GET /access-events",
    expect: staffOfCentreA(200),
    prepare: async () => ({ query: "centreId=redu" }),
  },
  {
    route: "GET /access-events.csv",
    expect: staffOfCentreA(200),
    mediaType: "text/csv",
    prepare: async () => ({ query: "centreId=redu" }),
  },
  { route: "GET /me/access-events", expect: workerOnly(200) },
];
