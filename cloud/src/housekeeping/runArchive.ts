import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CodedError } from "@passerelle/protocol";
import type { AuditCheckpoint } from "../audit/auditCheckpoint.js";
import { archiveAction } from "../audit/auditCheckpoint.js";
import { AuditLog } from "../audit/auditLog.js";
import type { Actor } from "../domain/serviceDeps.js";
import { accessEventsArchivedBeforeKey } from "../store/archiveHorizon.js";
import type { Store } from "../store/openStore.js";
import { readSetting } from "../store/settings.js";
import {
  type ArchivedFile,
  accessEventMonthsBefore,
  deleteAccessEventMonth,
  exportAccessEventMonth,
} from "./archiveAccessEvents.js";
import { auditCutBefore, deleteAuditEntries, exportAuditEntries } from "./archiveAuditLog.js";
import {
  addUtcMonths,
  firstKeptMonth,
  type RetentionRules,
  type UtcMonth,
  utcMonthStart,
} from "./retentionRules.js";

export class ArchiveError extends CodedError<"open-months"> {
  override readonly name = "ArchiveError";
}

export interface ArchiveRunOptions {
  readonly store: Store;
  /** Where the monthly files and the run's manifest go (must exist). */
  readonly outDir: string;
  readonly rules: RetentionRules;
  readonly now: number;
  readonly actor: Actor;
  /** Only say what would be archived. */
  readonly dryRun?: boolean;
}

export interface ArchiveReport {
  readonly eventMonths: readonly UtcMonth[];
  /** Audit entries after `startsAfter.id` up to `upToId` (none when equal). */
  readonly audit: { readonly startsAfter: AuditCheckpoint; readonly upToId: number };
  readonly files: readonly ArchivedFile[];
  readonly manifest?: string;
  readonly checkpoint?: AuditCheckpoint;
  readonly deletedEvents: number;
  readonly deletedAuditEntries: number;
}

/**
 * One archive run (docs/cloud-store.md "Retention and archive"): the access events dated in
 * months past their retention and the audit entries past theirs are written to monthly NDJSON
 * files, then recorded (archived months, the chain's new checkpoint and the `audit.archive`
 * entry that vouches for it, the rebuild horizon) in one transaction, and only then deleted,
 * a chunk per transaction. A crash before the record leaves the database whole (delete the
 * files and run again); after it, running again finishes the deletes.
 */
export async function runArchive(options: ArchiveRunOptions): Promise<ArchiveReport> {
  const { store, now } = options;
  const db = store.db;
  const eventCutoff = utcMonthStart(firstKeptMonth(now, options.rules.accessEventMonths));
  const auditCutoff = utcMonthStart(firstKeptMonth(now, options.rules.auditMonths));
  // Rows committed from now on are not this run's: a late event for an old month stays.
  const receivedBefore = now;
  const eventMonths = await accessEventMonthsBefore(db, eventCutoff, receivedBefore);
  await refuseOpenMonths(store, eventMonths);
  const cut = await auditCutBefore(db, auditCutoff);
  const planned = { eventMonths, audit: cut, deletedEvents: 0, deletedAuditEntries: 0 };
  if (options.dryRun) return { ...planned, files: [] };

  const files: ArchivedFile[] = [];
  for (const month of eventMonths) {
    files.push(await exportAccessEventMonth(db, options.outDir, month, receivedBefore));
  }
  const exported =
    cut.upToId > cut.startsAfter.id
      ? await exportAuditEntries(db, options.outDir, cut)
      : { files: [], checkpoint: cut.startsAfter };
  files.push(...exported.files);
  const checkpoint = exported.checkpoint;

  const manifest = `archive-manifest-${new Date(now).toISOString().replace(/[:.]/g, "-")}.json`;
  await writeFile(
    join(options.outDir, manifest),
    `${JSON.stringify({ archive: "passerelle-manifest", version: 1, runAt: new Date(now).toISOString(), rules: options.rules, audit: { startsAfter: cut.startsAfter, checkpoint }, files }, null, 2)}\n`,
    { flag: "wx", mode: 0o600 },
  );

  await store.write(async (trx) => {
    for (const file of files) {
      await trx
        .insertInto("archived_months")
        .values({ ...file, archived_at: now })
        .execute();
    }
    if (checkpoint.id > cut.startsAfter.id) {
      await trx
        .insertInto("audit_checkpoints")
        .values({
          last_id: checkpoint.id,
          last_hash: checkpoint.hash,
          archived_at: now,
          archived_by: options.actor,
        })
        .execute();
    }
    if (eventMonths.length > 0) {
      const current = Number((await readSetting(trx, accessEventsArchivedBeforeKey)) ?? 0);
      const horizon = String(Math.max(current, eventCutoff));
      await trx
        .insertInto("settings")
        .values({ key: accessEventsArchivedBeforeKey, value: horizon })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: horizon }))
        .execute();
    }
    await new AuditLog(store, { now: () => now }).recordChange(
      {
        actor: options.actor,
        action: archiveAction,
        subject: `archive:${manifest}`,
        detail: {
          upToId: checkpoint.id,
          upToHash: checkpoint.hash,
          eventMonths,
          files: files.map((file) => ({ file: file.file, sha256: file.sha256 })),
        },
      },
      trx,
    );
  });

  let deletedEvents = 0;
  for (const month of eventMonths) {
    deletedEvents += await deleteAccessEventMonth(store, month, receivedBefore);
  }
  const deletedAuditEntries =
    checkpoint.id > cut.startsAfter.id ? await deleteAuditEntries(store, checkpoint.id) : 0;
  return { ...planned, files, manifest, checkpoint, deletedEvents, deletedAuditEntries };
}

/**
 * A month's events may leave only once the hours they make can no longer change: the month is
 * closed, or no presence session counts in it or in the next (an event of a month's last UTC
 * hours can count in the next local month).
 */
async function refuseOpenMonths(store: Store, months: readonly UtcMonth[]): Promise<void> {
  if (months.length === 0) return;
  const closed = new Set(
    (await store.db.selectFrom("month_closes").select("month").execute()).map((r) => r.month),
  );
  const open: UtcMonth[] = [];
  for (const month of months) {
    const next = addUtcMonths(month, 1);
    const counted = await store.db
      .selectFrom("sessions")
      .select("month")
      .where("month", "in", [month, next])
      .limit(1)
      .executeTakeFirst();
    if (counted !== undefined && !closed.has(month)) open.push(month);
  }
  if (open.length > 0) {
    throw new ArchiveError(
      "open-months",
      `access events of ${open.join(", ")} hold hours of a month not closed yet: close the month first (docs/hours.md), then archive`,
    );
  }
}
