import { anyStaff, type MatrixRow, staffOfCentreA } from "./matrixRow.js";

const eventStream = "text/event-stream";

/** Rows for cloud/src/http/routes/occupancy/ (target: centre A, redu). */
export const liveRows: MatrixRow[] = [
  {
    route: "GET /centres/:centreId/occupancy",
    expect: staffOfCentreA(200),
    params: { centreId: "redu" },
  },
  // The network view: each manager gets their own centres' counts.
  { route: "GET /occupancy", expect: anyStaff(200) },
  {
    route: "GET /centres/:centreId/occupancy/stream",
    expect: staffOfCentreA(200),
    params: { centreId: "redu" },
    stream: true,
    mediaType: eventStream,
  },
  { route: "GET /occupancy/stream", expect: anyStaff(200), stream: true, mediaType: eventStream },
  // Past occupancy (occupancyHistoryRoutes.ts): counts, a centre's to its staff only.
  {
    route: "GET /centres/:centreId/occupancy/week",
    expect: staffOfCentreA(200),
    params: { centreId: "redu" },
  },
  { route: "GET /occupancy/days", expect: anyStaff(200) },
];
