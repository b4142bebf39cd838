import type pg from "pg";
import type { Logger } from "pino";

/**
 * A connection the server drops (restart, failover, an admin's kill) is an 'error' event on
 * its pg.Client; unhandled, it ends the process. The pool listens while a connection is idle
 * (and replaces it), but not while it is checked out: a session-level advisory lock held during
 * a bundle compilation, or a transaction between two of its queries. Measured: a PostgreSQL
 * restart killed every `serve` instance that way (test/cluster/clusterFaults.test.ts). Here a
 * checked-out connection's error is logged too; the holder's next query on it then fails, and
 * the pool discards a connection that is no longer queryable when it is released.
 */
export function logLostConnections(pool: pg.Pool, logger: Logger, what: string): void {
  pool.on("error", (error) => logger.warn({ err: error }, `idle ${what} connection lost`));
  pool.on("connect", (client) => {
    client.on("error", (error) => logger.warn({ err: error }, `${what} connection lost in use`));
  });
}
