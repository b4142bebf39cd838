import { type Kysely, sql } from "kysely";
import type pg from "pg";
import type { Database } from "./database.js";

/**
 * Work that must run in one place at a time across every cloud process on the same store
 * (docs/scale.md "Single-runner work"): a centre's bundle compilation, the no-show sweep, the
 * presence sessions' rebuild. On PostgreSQL, advisory locks: held by a database session, so a
 * process that dies (SIGKILL, lost network) frees them when its connection goes. On SQLite the
 * store belongs to one process, so an in-process queue per name is enough.
 */
export interface ExclusiveLocks {
  /** Runs `work` once no other holder of `name` runs, anywhere; waits for its turn. */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Runs `work` only if nobody holds `name` now; `{ ran: false }` at once otherwise. */
  tryExclusive<T>(name: string, work: () => Promise<T>): Promise<ExclusiveOutcome<T>>;
  /**
   * Takes `name` for the rest of the transaction `trx` (PostgreSQL's pg_advisory_xact_lock,
   * released at commit or rollback); nothing on SQLite, where a write transaction holds the
   * whole database already.
   */
  lockInTransaction(trx: Kysely<Database>, name: string, mode?: LockMode): Promise<void>;
  /**
   * Takes every one of `names` for the rest of the transaction, exclusively, in one fixed order
   * (by lock key), so two transactions that each take several can never wait on each other in
   * a cycle. Nothing on SQLite.
   */
  lockEachInTransaction(trx: Kysely<Database>, names: Iterable<string>): Promise<void>;
  close(): Promise<void>;
}

/** `shared`: any number of shared holders at once, none while an exclusive holder runs. */
export type LockMode = "exclusive" | "shared";

export type ExclusiveOutcome<T> =
  | { readonly ran: true; readonly value: T }
  | { readonly ran: false };

/** The advisory locks' first key: Passerelle's, so another application's locks never collide. */
const lockSpace = 0x50_41_53_53; // "PASS"

/** One promise chain per name: same-name callers in this process queue here first. */
class LocalQueues {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.tails.set(name, tail);
    void tail.finally(() => {
      if (this.tails.get(name) === tail) this.tails.delete(name);
    });
    return next;
  }

  busy(name: string): boolean {
    return this.tails.has(name);
  }
}

export function sqliteLocks(): ExclusiveLocks {
  const queues = new LocalQueues();
  return {
    exclusive: (name, work) => queues.run(name, work),
    async tryExclusive(name, work) {
      if (queues.busy(name)) return { ran: false };
      return { ran: true, value: await queues.run(name, work) };
    },
    lockInTransaction: async () => {},
    lockEachInTransaction: async () => {},
    close: async () => {},
  };
}

/**
 * Session-level advisory locks on a pool of their own: a holder keeps one connection for the
 * length of its work, and that work runs its queries on the store's pool. With both on one pool,
 * a few holders waiting for their turn could take every connection the running holder needs.
 * The lock pool's size also caps how many such tasks one process runs at once.
 */
export function postgresLocks(pool: pg.Pool): ExclusiveLocks {
  const queues = new LocalQueues();
  const withLock = async <T>(
    name: string,
    take: "pg_advisory_lock" | "pg_try_advisory_lock",
    work: () => Promise<T>,
  ): Promise<ExclusiveOutcome<T>> => {
    const client = await pool.connect();
    // A connection whose lock state is in doubt is dropped: closing it frees what it held.
    let healthy = true;
    try {
      let taken: boolean;
      try {
        if (take === "pg_advisory_lock") {
          await client.query("select pg_advisory_lock($1, hashtext($2))", [lockSpace, name]);
          taken = true;
        } else {
          const result = await client.query<{ taken: boolean }>(
            "select pg_try_advisory_lock($1, hashtext($2)) as taken",
            [lockSpace, name],
          );
          taken = result.rows[0]?.taken === true;
        }
      } catch (error) {
        healthy = false;
        throw error;
      }
      if (!taken) return { ran: false };
      try {
        return { ran: true, value: await work() };
      } finally {
        await client
          .query("select pg_advisory_unlock($1, hashtext($2))", [lockSpace, name])
          .catch(() => {
            healthy = false;
          });
      }
    } finally {
      client.release(!healthy);
    }
  };
  return {
    async exclusive(name, work) {
      return queues.run(name, async () => {
        const outcome = await withLock(name, "pg_advisory_lock", work);
        if (!outcome.ran) throw new Error(`advisory lock ${name} not taken`);
        return outcome.value;
      });
    },
    async tryExclusive(name, work) {
      if (queues.busy(name)) return { ran: false };
      return queues.run(name, () => withLock(name, "pg_try_advisory_lock", work));
    },
    async lockInTransaction(trx, name, mode = "exclusive") {
      if (mode === "shared") {
        await sql`select pg_advisory_xact_lock_shared(${lockSpace}, hashtext(${name}))`.execute(
          trx,
        );
      } else {
        await sql`select pg_advisory_xact_lock(${lockSpace}, hashtext(${name}))`.execute(trx);
      }
    },
    async lockEachInTransaction(trx, names) {
      const distinct = [...new Set(names)];
      if (distinct.length === 0) return;
      // One round trip; the keys (not the names) are sorted, so names that share a hash are
      // taken once and the order is the same in every transaction.
      await sql`select pg_advisory_xact_lock(${lockSpace}, key)
        from (select distinct hashtext(name) as key from unnest(${distinct}::text[]) as name
              order by key) as keys`.execute(trx);
    },
    close: () => pool.end(),
  };
}
