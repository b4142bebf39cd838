import { createResource } from "../../../src/domain/resources.js";
import { admin } from "../../support/fixtures.js";
import { anyoneLoggedIn, type MatrixRow, staffOfCentreA } from "./matrixRow.js";

/** Rows for cloud/src/http/routes/resources/ (targets in centre A, redu). */
export const resourceRows: MatrixRow[] = [
  {
    route: "GET /centres/:centreId/resources",
    expect: anyoneLoggedIn(200),
    params: { centreId: "redu" },
  },
  {
    route: "POST /centres/:centreId/resources",
    expect: staffOfCentreA(201),
    params: { centreId: "redu" },
    body: { kind: "desk", name: "Matrix desk" },
  },
  {
    route: "PATCH /resources/:resourceId",
    expect: staffOfCentreA(200),
    params: { resourceId: "redu-desk-1" },
    body: { name: "Desk 1" },
  },
  {
    route: "DELETE /resources/:resourceId",
    expect: staffOfCentreA(200),
    prepare: async ({ t }) => {
      const resource = await createResource(t.deps, admin, {
        centreId: "redu",
        kind: "desk",
        name: "To archive",
      });
      return { params: { resourceId: resource.id } };
    },
  },
];
