import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { CloudEventBus } from "../../../bus/cloudEvents.js";
import { acknowledgeAlarm, getAlarm, listAlarms } from "../../../domain/alarms.js";
import { loadCentre } from "../../../domain/centres.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { CentreParams } from "../centres/centreView.js";
import { defaultHeartbeatMs, EventStream, EventStreams } from "../occupancy/eventStream.js";
import { actorOf, requireCentreOf } from "../views/centreScope.js";
import { decodeCursor, encodeCursor, Page, PageQuery } from "../views/page.js";
import { AlarmParams, AlarmView, alarmView } from "./alarmView.js";

export interface AlarmRoutesOptions {
  deps: ServiceDeps;
  /** alarm.changed drives the stream. */
  bus: CloudEventBus;
  heartbeatMs?: number;
}

/**
 * A centre's alarms (docs/api.md "Alarms"): the history (newest first), the live stream the
 * board follows, and the acknowledgement with a note. Its managers and the coordinator only.
 */
export const alarmRoutes: FastifyPluginAsyncTypebox<AlarmRoutesOptions> = async (
  app,
  { deps, bus, heartbeatMs = defaultHeartbeatMs },
) => {
  const streams = new EventStreams();
  app.addHook("preClose", async () => streams.closeAll());
  const staffOfCentre = (request: Parameters<typeof actorOf>[0], centreId: string) =>
    requireCentreOf(request, centreId, { what: "centre", id: centreId, field: "centreId" });

  app.get(
    "/centres/:centreId/alarms",
    {
      schema: {
        tags: ["alarms"],
        summary: "The centre's alarms, newest first (open=true: those not yet acknowledged)",
        params: CentreParams,
        querystring: Type.Object(
          { ...PageQuery, open: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: Page(AlarmView) },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      const { centreId } = request.params;
      staffOfCentre(request, centreId);
      await loadCentre(deps.store.db, centreId);
      const limit = request.query.limit ?? 50;
      const before = decodeCursor(request.query.cursor);
      const fetched = await listAlarms(deps, {
        centreId,
        limit: limit + 1,
        ...(request.query.open === undefined ? {} : { open: request.query.open }),
        ...(before === undefined ? {} : { before }),
      });
      const items = fetched.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map(alarmView),
        nextCursor: fetched.length > limit && last !== undefined ? encodeCursor(last.id) : null,
      };
    },
  );

  app.post(
    "/alarms/:alarmId/acknowledge",
    {
      schema: {
        tags: ["alarms"],
        summary: "Acknowledge an alarm with a note (what was done); audited",
        params: AlarmParams,
        body: Type.Object(
          { note: Type.String({ minLength: 1, maxLength: 1000 }) },
          { additionalProperties: false },
        ),
        response: { 200: AlarmView },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request) => {
      const { alarmId } = request.params;
      const alarm = await getAlarm(deps, alarmId);
      requireCentreOf(request, alarm.centreId, { what: "alarm", id: alarmId, field: "alarmId" });
      const done = await acknowledgeAlarm(deps, actorOf(request), {
        alarmId,
        note: request.body.note,
      });
      bus.emit("alarm.changed", { centreId: done.centreId, alarmId: done.id });
      return alarmView(done);
    },
  );

  app.get(
    "/centres/:centreId/alarms/stream",
    {
      schema: {
        tags: ["alarms"],
        summary:
          "The open alarms (`snapshot`), then one `alarm` event per alarm raised, cleared or acknowledged (text/event-stream)",
        params: CentreParams,
        response: {
          200: {
            description: "Server-Sent Events: `snapshot` then `alarm` events with JSON data",
            content: { "text/event-stream": { schema: Type.String() } },
          },
        },
      },
      config: { access: ["manager", "coordinator"] },
    },
    async (request, reply) => {
      const { centreId } = request.params;
      staffOfCentre(request, centreId);
      await loadCentre(deps.store.db, centreId);
      const owner = { name: `sse:alarms:${centreId}` };
      const stream = new EventStream(reply, heartbeatMs);
      streams.add(stream);
      // Listening before the snapshot is read: an alarm raised in between is sent twice at
      // worst (the console keys alarms by id), never lost.
      bus.on("alarm.changed", owner, ({ centreId: at, alarmId }) => {
        if (at !== centreId) return;
        getAlarm(deps, alarmId)
          .then((alarm) => stream.send("alarm", alarmView(alarm), alarm.id))
          .catch((error) => request.log.warn({ err: error, alarmId }, "alarm not streamed"));
      });
      stream.signal.addEventListener("abort", () => bus.removeListeners(owner));
      const open = await listAlarms(deps, { centreId, open: true, limit: 200 });
      stream.send("snapshot", { items: open.map(alarmView) });
    },
  );
};
