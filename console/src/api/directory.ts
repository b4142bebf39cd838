import type { CentreView, DoorView, MemberView, ResourceView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "./client.js";

/**
 * The network's centres and their resources, fetched once per page view: bookings and
 * availability carry ids, people read names.
 */
export class Directory {
  private centres: Promise<CentreView[]> | undefined;
  private readonly resources = new Map<string, Promise<ResourceView[]>>();
  private readonly doors = new Map<string, Promise<Map<string, string>>>();
  private readonly members = new Map<string, Promise<string>>();

  constructor(private readonly api: ApiClient) {}

  listCentres(): Promise<CentreView[]> {
    this.centres ??= this.api
      .all<CentreView>("/centres")
      .then((all) => all.filter((c) => c.archivedAt === null));
    return this.centres;
  }

  async centre(id: string): Promise<CentreView | undefined> {
    return (await this.listCentres()).find((c) => c.id === id);
  }

  async centreName(id: string): Promise<string> {
    return (await this.centre(id))?.name ?? id;
  }

  resourcesOf(centreId: string): Promise<ResourceView[]> {
    let known = this.resources.get(centreId);
    if (!known) {
      known = this.api.all<ResourceView>(`/centres/${encodeURIComponent(centreId)}/resources`);
      this.resources.set(centreId, known);
    }
    return known;
  }

  async resourceName(centreId: string, resourceId: string): Promise<string> {
    const found = (await this.resourcesOf(centreId).catch(() => [])).find(
      (r) => r.id === resourceId,
    );
    return found?.name ?? resourceId;
  }

  /** A door's name (staff only: the doors of a centre they see); its id when unknown. */
  async doorName(centreId: string, doorId: string): Promise<string> {
    let names = this.doors.get(centreId);
    if (!names) {
      names = this.api
        .all<DoorView>(`/centres/${encodeURIComponent(centreId)}/doors`)
        .then((doors) => new Map(doors.map((d) => [d.id, d.name])))
        .catch(() => new Map<string, string>());
      this.doors.set(centreId, names);
    }
    return (await names).get(doorId) ?? doorId;
  }

  /** A member's name for staff (GET /members/{id}); the id when it cannot be read. */
  memberName(memberId: string): Promise<string> {
    let name = this.members.get(memberId);
    if (!name) {
      name = this.api
        .get<MemberView>(`/members/${encodeURIComponent(memberId)}`)
        .then((member) => member.name)
        .catch(() => memberId);
      this.members.set(memberId, name);
    }
    return name;
  }

  /** The centres a manager or coordinator looks after (a coordinator: all of them). */
  async staffCentres(me: { coordinator: boolean; managerOf: string[] }): Promise<CentreView[]> {
    const all = await this.listCentres();
    return me.coordinator ? all : all.filter((c) => me.managerOf.includes(c.id));
  }
}
