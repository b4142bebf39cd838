import type { Executor } from "./openStore.js";
import { readSetting } from "./settings.js";

/** Settings key: access events dated before this instant (epoch ms) were archived (0008). */
export const accessEventsArchivedBeforeKey = "access_events_archived_before";

/**
 * Session rebuilds never start earlier than this: the events before the archive horizon left
 * the database, so a rebuild reaching back there would delete sessions it cannot recreate (a
 * late event from a gateway offline for months, or one whose clock was reset). A week past
 * the horizon leaves room for the rebuild to step back to the start of a session still held
 * open, whose events are all still here. -Infinity when nothing was archived.
 */
export async function sessionRebuildFloor(trx: Executor): Promise<number> {
  const value = await readSetting(trx, accessEventsArchivedBeforeKey);
  return value === undefined ? Number.NEGATIVE_INFINITY : Number(value) + 7 * 24 * 3_600_000;
}
