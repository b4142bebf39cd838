import type { Logger } from "pino";
import type { CloudEventBus } from "../bus/cloudEvents.js";
import type { Feature } from "../bus/feature.js";
import {
  type Alarm,
  type AlarmKind,
  type AlarmSubject,
  clearAlarms,
  raiseAlarm,
} from "../domain/alarms.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import { alarmMail, mailedAlarmKinds } from "../mail/alarmMails.js";
import type { Mailer } from "../mail/mailer.js";
import type { CommittedEvents } from "../ports/eventSink.js";
import type { DoorState, GatewayState } from "../ports/liveState.js";

/**
 * Alarms from what the cloud already hears (docs/console.md "Alarms"):
 * - door.changed: a door's alarm turning held-open or forced-open raises it, back to none clears
 *   it (door events after commit, and the doors listed in a gateway's status);
 * - gateway.statusChanged: offline raises "gateway-offline", online clears it; an untrusted
 *   clock raises "clock-untrusted", a trusted one clears it;
 * - events.committed: each `bundle.rejected` event raises "bundle-rejected" (never cleared by
 *   itself: somebody should look at why).
 * Every change is said on the bus as alarm.changed (the alarms SSE stream follows it). With a
 * mailer, forced-open and gateway-offline are mailed to the centre's managers. Writes run one
 * after the other, so a raise and the clear that follows it land in that order.
 */
export class AlarmsFeature implements Feature {
  readonly name = "alarms";
  private queue: Promise<void> = Promise.resolve();
  private readonly log: Logger;
  private readonly doorAlarms = new Map<string, DoorState["alarm"]>();
  /**
   * What each gateway last said, so a status that changes nothing (one a minute per gateway)
   * costs no write; the first word of a gateway since start is always acted on.
   */
  private readonly gatewayFacts = new Map<string, string>();

  constructor(
    private readonly bus: CloudEventBus,
    private readonly deps: ServiceDeps,
    private readonly mail: { mailer: Mailer | null; publicUrl?: string },
  ) {
    this.log = deps.logger.child({ module: "cloud:alarms" });
  }

  async start(): Promise<void> {
    this.bus.on("door.changed", this, (door) => this.onDoor(door));
    this.bus.on("gateway.statusChanged", this, (state) => this.onGateway(state));
    this.bus.on("events.committed", this, (batch) => this.onEvents(batch));
  }

  async stop(): Promise<void> {
    this.bus.removeListeners(this);
    await this.queue;
  }

  private onDoor(door: DoorState): void {
    const known = this.doorAlarms.has(door.doorId);
    const previous = this.doorAlarms.get(door.doorId) ?? null;
    this.doorAlarms.set(door.doorId, door.alarm);
    const subject = (kind: AlarmKind) => ({
      centreId: door.centreId,
      kind,
      doorId: door.doorId,
      gatewayId: door.gatewayId,
    });
    if (!known && door.alarm === null) {
      // First word of this door since start: an alarm stored before a restart has ended.
      this.enqueue(() => this.clear(subject("held-open")));
      this.enqueue(() => this.clear(subject("forced-open")));
      return;
    }
    if (previous === door.alarm) return;
    if (previous !== null) this.enqueue(() => this.clear(subject(previous)));
    if (door.alarm !== null) this.enqueue(() => this.raise(subject(door.alarm ?? "held-open")));
  }

  private onGateway(state: GatewayState): void {
    const facts = `${state.online}/${state.online ? state.clockTrusted : "-"}`;
    if (this.gatewayFacts.get(state.gatewayId) === facts) return;
    this.gatewayFacts.set(state.gatewayId, facts);
    const subject = (kind: AlarmKind) => ({
      centreId: state.centreId,
      kind,
      gatewayId: state.gatewayId,
    });
    this.enqueue(() =>
      state.online
        ? this.clear(subject("gateway-offline"))
        : this.raise(subject("gateway-offline")),
    );
    // An offline status says nothing of the clock: only an online one moves that alarm.
    if (state.online && state.clockTrusted !== null) {
      this.enqueue(() =>
        state.clockTrusted
          ? this.clear(subject("clock-untrusted"))
          : this.raise(subject("clock-untrusted")),
      );
    }
  }

  private onEvents(batch: CommittedEvents): void {
    if (batch.inserted === 0) return;
    for (const event of batch.events) {
      if (event.type !== "bundle.rejected") continue;
      const detail = "detail" in event && typeof event.detail === "string" ? event.detail : null;
      this.enqueue(() =>
        this.raise(
          { centreId: batch.centreId, kind: "bundle-rejected", gatewayId: batch.gatewayId },
          detail,
        ),
      );
    }
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((error) => {
      this.log.error({ err: error }, "alarm not recorded");
    });
  }

  private async raise(subject: AlarmSubject, detail: string | null = null): Promise<void> {
    const alarm = await raiseAlarm(this.deps, { ...subject, detail });
    if (alarm === undefined) return;
    this.log.warn(
      { alarm: alarm.id, kind: alarm.kind, centre: alarm.centreId, door: alarm.doorId },
      "alarm raised",
    );
    this.bus.emit("alarm.changed", { centreId: alarm.centreId, alarmId: alarm.id });
    if (mailedAlarmKinds.has(alarm.kind)) void this.mailManagers(alarm);
  }

  private async clear(subject: AlarmSubject): Promise<void> {
    for (const alarm of await clearAlarms(this.deps, subject)) {
      this.bus.emit("alarm.changed", { centreId: alarm.centreId, alarmId: alarm.id });
    }
  }

  /** Best effort: a relay that is down must not stop the alarm itself (it is stored and shown). */
  private async mailManagers(alarm: Alarm): Promise<void> {
    const mailer = this.mail.mailer;
    if (mailer === null) return;
    try {
      const db = this.deps.store.db;
      const centre = await db
        .selectFrom("centres")
        .select("name")
        .where("id", "=", alarm.centreId)
        .executeTakeFirst();
      const door =
        alarm.doorId === null
          ? undefined
          : await db
              .selectFrom("doors")
              .select("name")
              .where("id", "=", alarm.doorId)
              .executeTakeFirst();
      const managers = await db
        .selectFrom("staff_roles")
        .innerJoin("users", "users.id", "staff_roles.user_id")
        .select("users.email")
        .where("staff_roles.role", "=", "manager")
        .where("staff_roles.centre_id", "=", alarm.centreId)
        .where("users.disabled_at", "is", null)
        .execute();
      const base = this.mail.publicUrl?.replace(/\/+$/, "");
      for (const { email } of managers) {
        await mailer.send(
          alarmMail(email, {
            kind: alarm.kind,
            centreName: centre?.name ?? alarm.centreId,
            where: door?.name ?? alarm.gatewayId ?? alarm.centreId,
            at: alarm.raisedAt.toISOString(),
            ...(base === undefined
              ? {}
              : { consoleUrl: `${base}/board/${encodeURIComponent(alarm.centreId)}` }),
          }),
        );
      }
    } catch (error) {
      this.log.error({ err: error, alarm: alarm.id }, "alarm e-mail not sent");
    }
  }
}
