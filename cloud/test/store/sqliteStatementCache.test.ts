import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { withStatementCache } from "../../src/store/sqliteStatementCache.js";

describe("SQLite statement cache", () => {
  const database = new Database(":memory:");

  it("returns the same prepared statement for the same SQL", () => {
    const cached = withStatementCache(database, 2);
    const first = cached.prepare("select 1 as one");
    expect(cached.prepare("select 1 as one")).toBe(first);
    expect(first.all([])).toEqual([{ one: 1 }]);
  });

  it("evicts the least recently used statement beyond its capacity", () => {
    const cached = withStatementCache(database, 2);
    const a = cached.prepare("select 'a'");
    const b = cached.prepare("select 'b'");
    cached.prepare("select 'a'"); // a is now the most recent
    cached.prepare("select 'c'"); // evicts b
    expect(cached.prepare("select 'a'")).toBe(a);
    expect(cached.prepare("select 'b'")).not.toBe(b);
  });

  it("keeps working after the schema changes under a cached statement", () => {
    const cached = withStatementCache(database, 8);
    database.exec("create table t (x integer)");
    const insert = cached.prepare("insert into t (x) values (?)");
    insert.run([1]);
    database.exec("alter table t add column y integer");
    insert.run([2]);
    expect(cached.prepare("select count(*) as n from t").all([])).toEqual([{ n: 2 }]);
  });
});
