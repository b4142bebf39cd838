import { join } from "node:path";
import type { AccessEventsTable } from "../store/database.js";
import type { Executor, Store } from "../store/openStore.js";
import { NdjsonFile } from "./ndjsonFile.js";
import { addUtcMonths, type UtcMonth, utcMonthOf, utcMonthStart } from "./retentionRules.js";

const pageSize = 2_000;
/** Rows per delete transaction: the ingest waits at most for one of these on SQLite. */
const deleteChunk = 5_000;

export interface ArchivedFile {
  readonly kind: "access-events" | "audit";
  readonly month: UtcMonth;
  readonly file: string;
  readonly rows: number;
  readonly sha256: string;
}

/** What one month's archive covers: dated in the month, committed before the run began. */
interface MonthRange {
  readonly from: number;
  readonly to: number;
  readonly receivedBefore: number;
}

function rangeOf(month: UtcMonth, receivedBefore: number): MonthRange {
  return { from: utcMonthStart(month), to: utcMonthStart(addUtcMonths(month, 1)), receivedBefore };
}

/** The UTC months that hold access events dated before `cutoff` (oldest first). */
export async function accessEventMonthsBefore(
  db: Executor,
  cutoff: number,
  receivedBefore: number,
): Promise<UtcMonth[]> {
  const months: UtcMonth[] = [];
  let from: number | undefined;
  // One indexed min() per month that has events: a clock reset to 1970 costs one step, not 600.
  for (;;) {
    let query = db
      .selectFrom("access_events")
      .select((eb) => eb.fn.min<number>("time").as("first"))
      .where("time", "<", cutoff);
    if (from !== undefined) query = query.where("time", ">=", from);
    const row = await query.where("received_at", "<", receivedBefore).executeTakeFirst();
    if (row?.first === null || row?.first === undefined) return months;
    const month = utcMonthOf(Number(row.first));
    months.push(month);
    from = utcMonthStart(addUtcMonths(month, 1));
  }
}

/** Writes `access-events-YYYY-MM.ndjson`: a header line, then every row as stored. */
export async function exportAccessEventMonth(
  db: Executor,
  dir: string,
  month: UtcMonth,
  receivedBefore: number,
): Promise<ArchivedFile> {
  const range = rangeOf(month, receivedBefore);
  const name = `access-events-${month}.ndjson`;
  const file = await NdjsonFile.create(join(dir, name));
  try {
    await file.write([{ archive: "passerelle-access-events", version: 1, month }]);
    let after: { time: number; id: string } | undefined;
    let rows = 0;
    for (;;) {
      let query = db
        .selectFrom("access_events")
        .selectAll()
        .where("time", ">=", range.from)
        .where("time", "<", range.to)
        .where("received_at", "<", range.receivedBefore);
      if (after !== undefined) {
        const last = after;
        query = query.where((eb) =>
          eb(eb.refTuple("time", "id"), ">", eb.tuple(last.time, last.id)),
        );
      }
      const page: AccessEventsTable[] = await query
        .orderBy("time")
        .orderBy("id")
        .limit(pageSize)
        .execute();
      await file.write(page);
      rows += page.length;
      const last = page[page.length - 1];
      if (page.length < pageSize || last === undefined) break;
      after = { time: Number(last.time), id: last.id };
    }
    const done = await file.finish();
    return { kind: "access-events", month, file: name, rows, sha256: done.sha256 };
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** Deletes the month's exported rows, a chunk per transaction; returns how many. */
export async function deleteAccessEventMonth(
  store: Store,
  month: UtcMonth,
  receivedBefore: number,
): Promise<number> {
  const range = rangeOf(month, receivedBefore);
  let deleted = 0;
  for (;;) {
    const count = await store.write(async (trx) => {
      const result = await trx
        .deleteFrom("access_events")
        .where("id", "in", (eb) =>
          eb
            .selectFrom("access_events")
            .select("id")
            .where("time", ">=", range.from)
            .where("time", "<", range.to)
            .where("received_at", "<", range.receivedBefore)
            .limit(deleteChunk),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
    deleted += count;
    if (count < deleteChunk) return deleted;
  }
}
