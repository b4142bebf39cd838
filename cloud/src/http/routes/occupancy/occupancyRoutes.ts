import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { CloudEventBus } from "../../../bus/cloudEvents.js";
import { loadCentre } from "../../../domain/centres.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import type { LiveBoards } from "../../cloudServices.js";
import { principalOf, requireCentre } from "../../plugins/accessControl.js";
import { staffCentres } from "../views/centreScope.js";
import { CentreWatchers } from "./centreWatchers.js";
import { defaultHeartbeatMs, EventStream, EventStreams } from "./eventStream.js";
import {
  CentreOccupancyView,
  centreCount,
  centreCountOf,
  centreOccupancy,
  NetworkOccupancyView,
  networkBody,
  networkOccupancy,
} from "./occupancyViews.js";

export interface OccupancyRoutesOptions {
  deps: ServiceDeps;
  mqtt: Pick<LiveBoards, "occupancy" | "doors" | "gatewayStatus">;
  /**
   * occupancy.changed, door.changed, gateway.statusChanged (stale marks) and events.committed
   * drive the SSE streams.
   */
  bus: CloudEventBus;
  /** SSE heartbeat period (15 s; tests shorten it). */
  heartbeatMs?: number;
}

const staff = ["manager", "coordinator"] as const;
const CentreParams = Type.Object({ centreId: Type.String({ minLength: 1, maxLength: 64 }) });
const eventStreamResponse = {
  200: {
    description:
      "Server-Sent Events: `snapshot` (and on the network stream `centre`) events with JSON data, a `: heartbeat` comment every 15 s",
    content: { "text/event-stream": { schema: Type.String() } },
  },
};

/**
 * Live occupancy: snapshots and their Server-Sent Events streams (docs/api.md "Live and access
 * log"). A centre's view names who is inside, so it is for that centre's managers and the
 * coordinators only; the network view has counts only.
 */
export const occupancyRoutes: FastifyPluginAsyncTypebox<OccupancyRoutesOptions> = async (
  app,
  { deps, mqtt, bus, heartbeatMs = defaultHeartbeatMs },
) => {
  const streams = new EventStreams();
  // Presence also ends by the clock (closing time, inactivity): snapshots are re-checked.
  const watchers = new CentreWatchers(deps, mqtt, bus, heartbeatMs, app.log);
  // Without this, closing the server would wait forever for the open streams to end.
  app.addHook("preClose", async () => streams.closeAll());

  const visibleCentres = (request: Parameters<typeof principalOf>[0]) =>
    staffCentres(principalOf(request));

  app.get(
    "/centres/:centreId/occupancy",
    {
      schema: {
        tags: ["occupancy"],
        summary: "A centre now: people inside, zones, doors with their state and alarms",
        params: CentreParams,
        response: { 200: CentreOccupancyView },
      },
      config: { access: staff },
    },
    async (request) => {
      requireCentre(request, request.params.centreId);
      return centreOccupancy(deps, mqtt, request.params.centreId);
    },
  );

  app.get(
    "/occupancy",
    {
      schema: {
        tags: ["occupancy"],
        summary: "The network now (a manager: their centres), counts only",
        response: { 200: NetworkOccupancyView },
      },
      config: { access: staff },
    },
    async (request) => networkBody(await networkOccupancy(deps, mqtt, visibleCentres(request))),
  );

  app.get(
    "/centres/:centreId/occupancy/stream",
    {
      schema: {
        tags: ["occupancy"],
        summary: "The centre's snapshot, then a new one on every change (text/event-stream)",
        params: CentreParams,
        response: eventStreamResponse,
      },
      config: { access: staff },
    },
    async (request, reply) => {
      const { centreId } = request.params;
      requireCentre(request, centreId);
      // Checked before the stream opens, so an unknown centre is still a plain 404.
      await loadCentre(deps.store.db, centreId);
      const stream = new EventStream(reply, heartbeatMs);
      streams.add(stream);
      let last: string | undefined;
      const unsubscribe = watchers.subscribe(centreId, (view, text) => {
        if (text === last) return;
        last = text;
        stream.send("snapshot", view);
      });
      stream.signal.addEventListener("abort", unsubscribe);
    },
  );

  app.get(
    "/occupancy/stream",
    {
      schema: {
        tags: ["occupancy"],
        summary:
          "The network snapshot, then one `centre` event per centre that changed (text/event-stream)",
        response: eventStreamResponse,
      },
      config: { access: staff },
    },
    async (request, reply) => {
      const visible = visibleCentres(request);
      const first = await networkOccupancy(deps, mqtt, visible);
      const known = new Map(first.map((c) => [c.centreId, c]));
      const stream = new EventStream(reply, heartbeatMs);
      streams.add(stream);
      stream.send("snapshot", networkBody(first));

      // A centre created after the stream opened (a coordinator's stream sees every centre) is
      // looked up at its first change and followed from then on, announced as any change is.
      const joining = new Set<string>();
      const join = async (centreId: string) => {
        if (joining.has(centreId)) return;
        joining.add(centreId);
        try {
          const view = await centreCountOf(deps, mqtt, centreId);
          if (view === undefined || stream.signal.aborted || known.has(centreId)) return;
          known.set(centreId, view);
          stream.send("centre", view, centreId);
        } catch (error) {
          request.log.warn({ err: (error as Error).message, centreId }, "centre lookup failed");
        } finally {
          joining.delete(centreId);
        }
      };
      const onChange = (centreId: string) => {
        if (visible !== undefined && !visible.includes(centreId)) return;
        const info = known.get(centreId);
        if (info === undefined) {
          void join(centreId);
          return;
        }
        const view = centreCount(mqtt, { id: centreId, name: info.name, capacity: info.capacity });
        if (JSON.stringify(view) === JSON.stringify(info)) return;
        known.set(centreId, view);
        stream.send("centre", view, centreId);
      };
      const onCount = (c: { centre: string }) => onChange(c.centre);
      const onDoor = (d: { centreId: string }) => onChange(d.centreId);
      const owner = { name: "sse:network" };
      bus.on("occupancy.changed", owner, onCount);
      bus.on("door.changed", owner, onDoor);
      // A gateway going offline (or back) makes its centre stale (or not): announced at once.
      bus.on("gateway.statusChanged", owner, onDoor);
      stream.signal.addEventListener("abort", () => bus.removeListeners(owner));
    },
  );
};
