import { provisionGateway } from "../../../src/domain/gateways.js";
import { admin } from "../../support/fixtures.js";
import { coordinatorOnly, type MatrixRow, staffOfCentreA } from "./matrixRow.js";

const freshGateway = async ({ t, unique }: Parameters<NonNullable<MatrixRow["prepare"]>>[0]) => {
  const { gateway } = await provisionGateway(t.deps, admin, {
    id: `redu-${unique()}`,
    centreId: "redu",
  });
  return { params: { gatewayId: gateway.id } };
};

/** Rows for cloud/src/http/routes/gateways/ (targets in centre A, redu). */
export const gatewayRows: MatrixRow[] = [
  {
    route: "GET /centres/:centreId/gateways",
    expect: staffOfCentreA(200),
    params: { centreId: "redu" },
  },
  {
    route: "POST /centres/:centreId/gateways",
    expect: staffOfCentreA(201),
    params: { centreId: "redu" },
    prepare: async ({ unique }) => ({ body: { id: `redu-${unique()}` } }),
  },
  {
    route: "POST /gateways/:gatewayId/rotate-secret",
    expect: staffOfCentreA(200),
    prepare: freshGateway,
  },
  {
    route: "PATCH /gateways/:gatewayId",
    expect: coordinatorOnly(200),
    body: { disabled: true },
    prepare: freshGateway,
  },
];
