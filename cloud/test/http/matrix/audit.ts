import { coordinatorOnly, type MatrixRow, staffOfCentreA } from "./matrixRow.js";

/** Rows for cloud/src/http/routes/audit/ (target: centre A's entries, ?centreId=redu). */
export const auditRows: MatrixRow[] = [
  {
    route: "GET /audit",
    expect: staffOfCentreA(200),
    prepare: async () => ({ query: "centreId=redu" }),
  },
  {
    route: "GET /audit.csv",
    expect: staffOfCentreA(200),
    mediaType: "text/csv",
    prepare: async () => ({ query: "centreId=redu" }),
  },
  { route: "POST /audit/verify", expect: coordinatorOnly(200) },
];
