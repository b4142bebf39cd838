import type BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/**
 * kysely's SQLite driver prepares every query anew; preparing costs more than running a short
 * indexed query. This keeps the most recently used prepared statements (better-sqlite3
 * statements are reusable, and kysely's one-connection mutex means one runs at a time).
 * SQLite re-prepares a cached statement by itself after a schema change (sqlite3_prepare_v2).
 */
export function withStatementCache(
  database: BetterSqlite3.Database,
  capacity = 256,
): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached !== undefined) {
        // Map keeps insertion order: re-inserting marks it most recently used.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql) as unknown as SqliteStatement;
      cache.set(sql, statement);
      if (cache.size > capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return statement;
    },
  };
}
