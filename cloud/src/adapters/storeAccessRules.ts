import { centreFromRow } from "../domain/centres.js";
import { allActiveCentres } from "../domain/memberAccess.js";
import type { AccessRulesSource } from "../ports/accessRules.js";
import {
  type BundlePolicy,
  type BundleResourceKind,
  type CentreAccessInput,
  defaultBundlePolicy,
} from "../ports/compilerInput.js";
import type { Store } from "../store/openStore.js";
import { credentialSalt } from "../store/settings.js";

/**
 * The bundle compiler's view of the store: for one centre, who may hold rights there now or
 * within the bundle's validity — members with a pass valid there (network passes everywhere),
 * with a booking there, or managing it — with their badges (active, and revoked lately, so the
 * door can say "revoked"). The compiler re-checks every rule; this only bounds the query.
 */
export class StoreAccessRules implements AccessRulesSource {
  constructor(
    private readonly store: Store,
    private readonly policy: BundlePolicy = defaultBundlePolicy,
  ) {}

  listCentres(): Promise<readonly string[]> {
    return allActiveCentres(this.store.db);
  }

  async gatewaysOf(centreId: string): Promise<readonly string[]> {
    const rows = await this.store.db
      .selectFrom("gateways")
      .select("id")
      .where("centre_id", "=", centreId)
      .where("disabled_at", "is", null)
      .orderBy("id")
      .execute();
    return rows.map((row) => row.id);
  }

  async loadCentre(centreId: string, now: number): Promise<CentreAccessInput | null> {
    const db = this.store.db;
    const centre = await db
      .selectFrom("centres")
      .selectAll()
      .where("id", "=", centreId)
      .where("archived_at", "is", null)
      .executeTakeFirst();
    if (centre === undefined) return null;
    const rules = centreFromRow(centre);
    const horizon = now + this.policy.validityMs;
    const graceMs = centre.booking_grace_minutes * 60_000;

    const doorRows = await db
      .selectFrom("doors")
      .leftJoin("door_resources", "door_resources.door_id", "doors.id")
      .leftJoin("resources", "resources.id", "door_resources.resource_id")
      .select([
        "doors.id",
        "doors.name",
        "doors.direction",
        "doors.exit_kind",
        "doors.held_open_seconds",
        "doors.pin_required",
        "resources.id as resourceId",
        "resources.kind as resourceKind",
      ])
      .where("doors.centre_id", "=", centreId)
      .orderBy("doors.id")
      .execute();
    const doors = new Map<
      string,
      CentreAccessInput["doors"][number] & { resources: { id: string; kind: BundleResourceKind }[] }
    >();
    for (const row of doorRows) {
      const door = doors.get(row.id) ?? {
        id: row.id,
        name: row.name,
        direction: row.direction,
        exitKind: row.exit_kind,
        heldOpenSeconds: row.held_open_seconds,
        pinRequired: row.pin_required === 1,
        resources: [],
      };
      if (row.resourceId !== null && row.resourceKind !== null)
        door.resources.push({ id: row.resourceId, kind: row.resourceKind });
      doors.set(row.id, door);
    }

    const bookings = await db
      .selectFrom("bookings")
      .select(["member_id", "resource_id", "starts_at", "ends_at"])
      .where("centre_id", "=", centreId)
      .where("status", "=", "confirmed")
      .where("ends_at", ">", now - graceMs)
      .where("starts_at", "<", horizon + graceMs)
      .execute();
    const passes = await db
      .selectFrom("passes")
      .select([
        "member_id",
        "kind",
        "valid_centre_id",
        "valid_from",
        "valid_to",
        "revoked_at",
        "credit_minutes",
      ])
      .where("revoked_at", "is", null)
      .where("valid_to", ">", now)
      .where("valid_from", "<", horizon)
      .where((eb) =>
        eb.or([eb("valid_centre_id", "is", null), eb("valid_centre_id", "=", centreId)]),
      )
      .execute();
    const staff = await db
      .selectFrom("staff_roles")
      .innerJoin("users", "users.id", "staff_roles.user_id")
      .select(["users.member_id", "staff_roles.offline_access"])
      .where("staff_roles.role", "=", "manager")
      .where("staff_roles.centre_id", "=", centreId)
      .where("users.disabled_at", "is", null)
      .execute();

    const members = new Set<string>([
      ...bookings.map((b) => b.member_id),
      ...passes.map((p) => p.member_id),
      ...staff.flatMap((s) => (s.member_id === null ? [] : [s.member_id])),
    ]);
    const badges =
      members.size === 0
        ? []
        : await db
            .selectFrom("badges")
            .select([
              "credential_hash",
              "member_id",
              "revoked_at",
              "credential_kind",
              "read_counter",
              "pin_hash",
            ])
            .where("member_id", "in", [...members])
            .where((eb) =>
              eb.or([
                eb("revoked_at", "is", null),
                eb("revoked_at", ">", now - this.policy.revokedRetentionMs),
              ]),
            )
            .execute();

    return {
      centre: {
        id: rules.id,
        name: rules.name,
        timeZone: rules.timeZone,
        openingHours: rules.openingHours,
        closedDates: rules.closedDates,
        bookingGraceMinutes: rules.settings.bookingGraceMinutes,
        lockdown: centre.lockdown_at !== null,
      },
      credentialSalt: await credentialSalt(db),
      doors: [...doors.values()],
      badges: badges.map((b) => ({
        credentialHash: b.credential_hash,
        memberId: b.member_id,
        revokedAt: b.revoked_at === null ? null : Number(b.revoked_at),
        secureCard: b.credential_kind === "ntag424-sun",
        readCounter: b.read_counter === null ? null : Number(b.read_counter),
        pinHash: b.pin_hash,
      })),
      bookings: bookings.map((b) => ({
        memberId: b.member_id,
        resourceId: b.resource_id,
        startsAt: Number(b.starts_at),
        endsAt: Number(b.ends_at),
      })),
      passes: passes.map((p) => ({
        memberId: p.member_id,
        kind: p.kind,
        validCentreId: p.valid_centre_id,
        validFrom: Number(p.valid_from),
        validTo: Number(p.valid_to),
        revokedAt: null,
        // Hour credits: what was bought, until accounting subtracts what was used.
        remainingMinutes: p.kind === "hour-credits" ? p.credit_minutes : null,
      })),
      staff: staff.flatMap((s) =>
        s.member_id === null
          ? []
          : [{ memberId: s.member_id, offlineAccess: Boolean(s.offline_access) }],
      ),
    };
  }
}
