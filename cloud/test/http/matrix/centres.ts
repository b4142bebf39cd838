import { centre } from "../../support/fixtures.js";
import { anyoneLoggedIn, coordinatorOnly, type MatrixRow, staffOfCentreA } from "./matrixRow.js";

/** Rows for cloud/src/http/routes/centres/. */
export const centreRows: MatrixRow[] = [
  { route: "GET /centres", expect: anyoneLoggedIn(200) },
  { route: "GET /centres/:centreId", expect: anyoneLoggedIn(200), params: { centreId: "redu" } },
  {
    route: "POST /centres",
    expect: coordinatorOnly(201),
    prepare: async ({ unique }) => ({
      body: {
        id: `matrix-${unique()}`,
        name: "Matrix",
        timeZone: "Europe/Brussels",
        openingHours: [{ days: [1, 2, 3, 4, 5], open: "08:00", close: "18:00" }],
        capacity: 10,
        hourlyRateCents: 300,
      },
    }),
  },
  {
    route: "PATCH /centres/:centreId",
    expect: staffOfCentreA(200),
    params: { centreId: "redu" },
    body: { capacity: 40 },
  },
  {
    route: "DELETE /centres/:centreId",
    expect: coordinatorOnly(200),
    prepare: async ({ t, unique }) => {
      const created = await centre(t.deps, `matrix-${unique()}`);
      return { params: { centreId: created.id } };
    },
  },
];
