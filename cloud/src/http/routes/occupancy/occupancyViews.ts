import { type Static, Type } from "@sinclair/typebox";
import { type Centre, listCentres, loadCentre } from "../../../domain/centres.js";
import { listDoors } from "../../../domain/doors.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { centreStaleness } from "../../../occupancy/centreStaleness.js";
import { doorStateWord } from "../../../occupancy/doorStateBoard.js";
import { membersInside } from "../../../occupancy/membersInside.js";
import type { LiveBoards } from "../../cloudServices.js";

const ZoneCount = Type.Object({ zone: Type.String(), inside: Type.Integer() });

const DoorLiveView = Type.Object({
  doorId: Type.String(),
  /** Null for a door a gateway reports that is not configured in the cloud. */
  name: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union([
    Type.Literal("locked"),
    Type.Literal("unlocked"),
    Type.Literal("open"),
    Type.Literal("unknown"),
  ]),
  alarm: Type.Union([Type.Literal("held-open"), Type.Literal("forced-open"), Type.Null()]),
  /** False while its gateway is offline (or never reported): the state may be stale. */
  reporting: Type.Boolean(),
  /** Gateway time of the latest fact about the door; null when none was ever reported. */
  since: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});

const PersonView = Type.Object({
  memberId: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  since: Type.String({ format: "date-time" }),
});

/** What both views say of a centre's count. */
const centreCountFields = {
  centreId: Type.String(),
  name: Type.String(),
  capacity: Type.Integer(),
  /** The gateways' headcount (entries − exits, their latest samples, added up). */
  inside: Type.Integer(),
  /** How many of them the gateways know by name (members with an open session). */
  attributed: Type.Integer(),
  zones: Type.Array(ZoneCount),
  /** The newest sample's time; null when no gateway reported yet. */
  time: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  /** A gateway of the centre is offline: the figures are the last known ones, as of `time`. */
  stale: Type.Boolean(),
  /** When the cloud learnt a gateway of the centre went offline; null while all are online. */
  offlineSince: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
};

/** GET /centres/:centreId/occupancy and each event of its stream. */
export const CentreOccupancyView = Type.Object({
  ...centreCountFields,
  doors: Type.Array(DoorLiveView),
  /** Who is inside by the access log and the presence rules. */
  people: Type.Array(PersonView),
});

/** One centre of the network snapshot: counts only, no names. */
export const CentreCountView = Type.Object({
  ...centreCountFields,
  /** Doors currently in alarm (held open or forced). */
  alarms: Type.Integer(),
});

export const NetworkOccupancyView = Type.Object({
  centres: Type.Array(CentreCountView),
  /** The listed centres' headcounts added up. */
  inside: Type.Integer(),
  /** How many of the listed centres are stale (their share of `inside` is old). */
  staleCentres: Type.Integer(),
});
export type NetworkOccupancyView = Static<typeof NetworkOccupancyView>;

export type CentreOccupancyView = Static<typeof CentreOccupancyView>;
export type CentreCountView = Static<typeof CentreCountView>;
/** One door of a centre snapshot: its live state, as the gateways last reported it. */
export type DoorLiveView = Static<typeof DoorLiveView>;

type CentreInfo = Pick<Centre, "id" | "name" | "capacity">;
type Live = Pick<LiveBoards, "occupancy" | "doors" | "gatewayStatus">;

export function centreCount(live: Live, centre: CentreInfo): CentreCountView {
  const counts = live.occupancy.centre(centre.id);
  return {
    centreId: centre.id,
    name: centre.name,
    capacity: centre.capacity,
    inside: counts?.inside ?? 0,
    attributed: counts?.attributed ?? 0,
    zones: counts ? [...counts.zones] : [],
    time: counts?.time || null,
    ...centreStaleness(live.gatewayStatus.list([centre.id])),
    alarms: live.doors.centre(centre.id).filter((door) => door.alarm !== null).length,
  };
}

/** The network snapshot of the given centres (all when `centreIds` is undefined). */
export async function networkOccupancy(
  deps: ServiceDeps,
  live: Live,
  centreIds: readonly string[] | undefined,
): Promise<CentreCountView[]> {
  const centres = await listCentres(deps, centreIds ? { ids: centreIds } : {});
  return centres.map((centre) => centreCount(live, centre));
}

/** The network body: each centre, the total headcount, and how many centres are stale. */
export function networkBody(centres: CentreCountView[]) {
  return {
    centres,
    inside: centres.reduce((sum, centre) => sum + centre.inside, 0),
    staleCentres: centres.filter((centre) => centre.stale).length,
  };
}

/** One centre's count, looked up by id; undefined when there is no such centre. */
export async function centreCountOf(
  deps: ServiceDeps,
  live: Live,
  centreId: string,
): Promise<CentreCountView | undefined> {
  const [centre] = await listCentres(deps, { ids: [centreId] });
  return centre === undefined ? undefined : centreCount(live, centre);
}

/** A centre's full snapshot: counts, doors (configured and reported), people inside. */
export async function centreOccupancy(
  deps: ServiceDeps,
  live: Live,
  centreId: string,
): Promise<CentreOccupancyView> {
  const centre = await loadCentre(deps.store.db, centreId);
  const [configured, people] = await Promise.all([
    listDoors(deps, { centreId }),
    membersInside(deps, centreId),
  ]);
  const reported = new Map(live.doors.centre(centreId).map((door) => [door.doorId, door]));
  const names = new Map(configured.map((door) => [door.id, door.name]));
  const doorIds = [...new Set([...names.keys(), ...reported.keys()])].sort();
  const count = centreCount(live, centre);
  return {
    centreId: centre.id,
    name: centre.name,
    capacity: centre.capacity,
    inside: count.inside,
    attributed: count.attributed,
    zones: count.zones,
    time: count.time,
    stale: count.stale,
    offlineSince: count.offlineSince,
    doors: doorIds.map((doorId) => {
      const state = reported.get(doorId);
      return {
        doorId,
        name: names.get(doorId) ?? null,
        state: state ? doorStateWord(state) : "unknown",
        alarm: state?.alarm ?? null,
        reporting: state?.reporting ?? false,
        since: state?.time ?? null,
      };
    }),
    people: people.map((person) => ({
      memberId: person.memberId,
      name: person.name,
      since: new Date(person.since).toISOString(),
    })),
  };
}
