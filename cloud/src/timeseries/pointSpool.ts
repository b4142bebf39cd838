import SqliteDatabase from "better-sqlite3";
import type { TimeSeriesPoint } from "../ports/timeSeries.js";

/**
 * `count` points are door_event counts (rebuildable from access events, but never dropped
 * before every sample is gone); `sample` points are everything else (the next minute's sample
 * replaces them).
 */
export type PointKind = "count" | "sample";

export interface SpooledPoint {
  readonly rowId: number;
  readonly point: TimeSeriesPoint;
}

export interface DroppedRange {
  readonly kind: PointKind;
  readonly dropped: number;
  readonly fromMs: number | null;
  readonly toMs: number | null;
}

/**
 * The on-disk queue of points not yet written: one SQLite file in the data directory
 * (`timeseries-queue.sqlite`), rows in arrival order. WAL with synchronous=NORMAL: a crash of
 * the machine may lose the last instant's points, never the file; a restart resumes from it.
 */
export class PointSpool {
  private readonly db: SqliteDatabase.Database;
  private readonly insertRow: SqliteDatabase.Statement;
  private readonly oldestRows: SqliteDatabase.Statement;
  private readonly countRows: SqliteDatabase.Statement;

  constructor(file: string) {
    this.db = new SqliteDatabase(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.exec(`CREATE TABLE IF NOT EXISTS points (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      time_ms INTEGER NOT NULL,
      point TEXT NOT NULL)`);
    this.db.exec("CREATE INDEX IF NOT EXISTS points_kind ON points (kind, id)");
    this.insertRow = this.db.prepare("INSERT INTO points (kind, time_ms, point) VALUES (?, ?, ?)");
    this.oldestRows = this.db.prepare("SELECT id, point FROM points ORDER BY id LIMIT ?");
    this.countRows = this.db.prepare("SELECT count(*) AS n FROM points");
  }

  append(points: readonly TimeSeriesPoint[]): void {
    const insertAll = this.db.transaction((items: readonly TimeSeriesPoint[]) => {
      for (const point of items) {
        const kind: PointKind = point.measurement === "door_event" ? "count" : "sample";
        this.insertRow.run(kind, point.timeMs, JSON.stringify(point));
      }
    });
    insertAll(points);
  }

  size(): number {
    return (this.countRows.get() as { n: number }).n;
  }

  oldest(limit: number): SpooledPoint[] {
    return (this.oldestRows.all(limit) as { id: number; point: string }[]).map((row) => ({
      rowId: row.id,
      point: JSON.parse(row.point) as TimeSeriesPoint,
    }));
  }

  remove(rowIds: readonly number[]): void {
    const first = rowIds[0];
    const last = rowIds[rowIds.length - 1];
    // A whole batch is a run of consecutive ids (the oldest rows): one range delete.
    if (first !== undefined && last !== undefined && last - first + 1 === rowIds.length) {
      this.db.prepare("DELETE FROM points WHERE id BETWEEN ? AND ?").run(first, last);
      return;
    }
    const removeAll = this.db.transaction((ids: readonly number[]) => {
      const statement = this.db.prepare("DELETE FROM points WHERE id = ?");
      for (const id of ids) statement.run(id);
    });
    removeAll(rowIds);
  }

  /** Drops the oldest `count` points of a kind; says which period they covered, for the log. */
  dropOldest(kind: PointKind, count: number): DroppedRange {
    const range = this.db
      .prepare(
        `SELECT count(*) AS n, min(time_ms) AS fromMs, max(time_ms) AS toMs FROM
         (SELECT time_ms FROM points WHERE kind = ? ORDER BY id LIMIT ?)`,
      )
      .get(kind, count) as { n: number; fromMs: number | null; toMs: number | null };
    this.db
      .prepare(
        "DELETE FROM points WHERE id IN (SELECT id FROM points WHERE kind = ? ORDER BY id LIMIT ?)",
      )
      .run(kind, count);
    return { kind, dropped: range.n, fromMs: range.fromMs, toMs: range.toMs };
  }

  close(): void {
    this.db.close();
  }
}
