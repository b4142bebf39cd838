import { createDoor } from "../../../src/domain/doors.js";
import { admin } from "../../support/fixtures.js";
import { type MatrixRow, staffOfCentreA } from "./matrixRow.js";

const freshDoor = async ({ t }: Parameters<NonNullable<MatrixRow["prepare"]>>[0]) => {
  const door = await createDoor(t.deps, admin, { centreId: "redu", name: "Side", direction: "in" });
  return { params: { doorId: door.id } };
};

/** Rows for cloud/src/http/routes/doors/ (targets in centre A, redu). */
export const doorRows: MatrixRow[] = [
  {
    route: "GET /centres/:centreId/doors",
    expect: staffOfCentreA(200),
    params: { centreId: "redu" },
  },
  {
    route: "POST /centres/:centreId/doors",
    expect: staffOfCentreA(201),
    params: { centreId: "redu" },
    body: { name: "Matrix door", direction: "both" },
  },
  {
    route: "PATCH /doors/:doorId",
    expect: staffOfCentreA(200),
    body: { name: "Renamed" },
    prepare: freshDoor,
  },
  { route: "DELETE /doors/:doorId", expect: staffOfCentreA(204), prepare: freshDoor },
];
