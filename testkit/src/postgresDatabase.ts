import { randomBytes } from "node:crypto";
import pg from "pg";

export interface FreshDatabase {
  readonly url: string;
  readonly database: string;
  drop(): Promise<void>;
}

/** The same server and credentials, another database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function execute(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** True once the server accepts a connection. */
export async function canConnect(connectionString: string): Promise<boolean> {
  await execute(connectionString, "SELECT 1");
  return true;
}

/**
 * A randomly named database on a shared server, so concurrent test files (and concurrent CI
 * jobs on one server) never see each other's tables. WITH (FORCE) needs PostgreSQL 13+.
 */
export async function createFreshDatabase(serverUrl: string): Promise<FreshDatabase> {
  const database = `passerelle_test_${randomBytes(6).toString("hex")}`;
  await execute(serverUrl, `CREATE DATABASE "${database}"`);
  return {
    url: withDatabase(serverUrl, database),
    database,
    drop: () => execute(serverUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
  };
}
