import { raiseAlarm } from "../../../src/domain/alarms.js";
import { createDoor } from "../../../src/domain/doors.js";
import { provisionGateway } from "../../../src/domain/gateways.js";
import { admin } from "../../support/fixtures.js";
import { type MatrixRow, staffOfCentreA } from "./matrixRow.js";

const eventStream = "text/event-stream";

/**
 * A door of centre A on a gateway that never connected: the callers allowed to unlock it get
 * 409 "gateway offline" (the remote unlock itself is proven with a real gateway in
 * cloud/test/http/routes/remoteUnlock.test.ts); B's manager must get 404.
 */
const doorOnOfflineGateway = async ({
  t,
  unique,
}: Parameters<NonNullable<MatrixRow["prepare"]>>[0]) => {
  const { gateway } = await provisionGateway(t.deps, admin, {
    id: `redu-${unique()}`,
    centreId: "redu",
  });
  const door = await createDoor(t.deps, admin, {
    centreId: "redu",
    gatewayId: gateway.id,
    name: "Matrix door",
    direction: "both",
  });
  return { params: { doorId: door.id } };
};

const freshAlarm = async ({ t }: Parameters<NonNullable<MatrixRow["prepare"]>>[0]) => {
  const alarm = await raiseAlarm(t.deps, { centreId: "redu", kind: "bundle-rejected" });
  if (alarm === undefined) throw new Error("no alarm raised");
  return { params: { alarmId: alarm.id } };
};

/** Rows for cloud/src/http/routes/doorOperations/ and alarms/ (targets in centre A, redu). */
export const doorOperationRows: MatrixRow[] = [
  {
    route: "POST /doors/:doorId/remote-unlock",
    expect: staffOfCentreA(409),
    body: { seconds: 5, reason: "matrix" },
    prepare: doorOnOfflineGateway,
  },
  {
    route: "GET /centres/:centreId/lockdown",
    expect: staffOfCentreA(200),
    params: { centreId: "redu" },
  },
  {
    route: "PUT /centres/:centreId/lockdown",
    expect: staffOfCentreA(200),
    params: { centreId: "redu" },
    body: { active: false, reason: "matrix" },
  },
  {
    route: "GET /centres/:centreId/alarms",
    expect: staffOfCentreA(200),
    params: { centreId: "redu" },
  },
  {
    route: "GET /centres/:centreId/alarms/stream",
    expect: staffOfCentreA(200),
    params: { centreId: "redu" },
    stream: true,
    mediaType: eventStream,
  },
  {
    route: "POST /alarms/:alarmId/acknowledge",
    expect: staffOfCentreA(200),
    body: { note: "seen" },
    prepare: freshAlarm,
  },
];
