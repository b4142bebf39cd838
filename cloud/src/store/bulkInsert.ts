import { CompiledQuery, type QueryResult } from "kysely";
import type { Database } from "./database.js";
import type { Engine, Executor } from "./openStore.js";

/**
 * A multi-row INSERT for a hot path, built without kysely's query compiler: compiling a
 * 400-row insert object by object cost more than SQLite took to run it (the ingest's group
 * commit, cloud/bench/ingest.bench.ts). The SQL text depends only on the row count, so it is
 * built once per count and, on SQLite, its prepared statement is reused by the store's
 * statement cache (sqliteStatementCache.ts). Values are bound as parameters, never spliced in.
 */
export class BulkInsert<Table extends keyof Database & string> {
  private readonly sqlByRowCount = new Map<number, string>();

  /**
   * `suffix` follows the VALUES list as written (e.g. `on conflict do nothing returning "id"`);
   * it must be a constant of the code, never built from input.
   */
  constructor(
    private readonly engine: Engine,
    private readonly table: Table,
    private readonly columns: readonly (keyof Database[Table] & string)[],
    private readonly suffix = "",
  ) {}

  /** Inserts `rows` (at most a few hundred: mind the engines' bound-parameter limits). */
  execute<Result = unknown>(
    trx: Executor,
    rows: readonly Database[Table][],
  ): Promise<QueryResult<Result>> {
    const parameters: unknown[] = [];
    for (const row of rows) {
      for (const column of this.columns) parameters.push(row[column]);
    }
    return trx.executeQuery<Result>(CompiledQuery.raw(this.sqlFor(rows.length), parameters));
  }

  private sqlFor(rowCount: number): string {
    let text = this.sqlByRowCount.get(rowCount);
    if (text === undefined) {
      text = this.build(rowCount);
      // Bounded by the callers' chunk size: one entry per row count they ever used.
      this.sqlByRowCount.set(rowCount, text);
    }
    return text;
  }

  private build(rowCount: number): string {
    const width = this.columns.length;
    const tuples: string[] = [];
    for (let row = 0; row < rowCount; row += 1) {
      const marks: string[] = [];
      for (let column = 0; column < width; column += 1) {
        marks.push(this.engine === "postgres" ? `$${row * width + column + 1}` : "?");
      }
      tuples.push(`(${marks.join(", ")})`);
    }
    const names = this.columns.map((column) => `"${column}"`).join(", ");
    const suffix = this.suffix === "" ? "" : ` ${this.suffix}`;
    return `insert into "${this.table}" (${names}) values ${tuples.join(", ")}${suffix}`;
  }
}
