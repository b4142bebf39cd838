import { join } from "node:path";
import { validators } from "@passerelle/protocol";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { EventOutbox } from "../../src/eventOutbox/eventOutbox.js";
import { accessEvent, capturingLogger, tempDir } from "./outboxFixtures.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function open(dir: string, logger = capturingLogger().logger) {
  const outbox = new EventOutbox({ path: join(dir, "outbox.db"), logger });
  cleanups.push(() => outbox.close());
  return outbox;
}

function newDir(): string {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  return dir;
}

const seqs = (events: { seq: number }[]) => events.map((e) => e.seq);
/** What a demo gateway once stored: an access event whose member id is no protocol Id. */
const poison = (n: number) => ({ ...accessEvent(n), member: "-" });

/** Rows as older software (or a hand on the sqlite3 shell) left them in the events table. */
function writeRowsBehindTheOutboxsBack(dir: string, rows: [number, string][]) {
  const db = new Database(join(dir, "outbox.db"));
  const insert = db.prepare("INSERT INTO events (seq, type, body) VALUES (?, 'access', ?)");
  for (const [seq, body] of rows) insert.run(seq, body);
  db.prepare("UPDATE meta SET value = ? WHERE key = 'lastSeq'").run(rows.at(-1)?.[0] ?? 0);
  db.close();
}

describe("event outbox: quarantine", () => {
  it("sets an event the cloud would refuse aside when it is appended, and the next ones flow", () => {
    const dir = newDir();
    const { logger, lines } = capturingLogger();
    const outbox = open(dir, logger);
    outbox.append(accessEvent(1));
    const refused = outbox.append(poison(2));
    outbox.append(accessEvent(3));
    const batch = outbox.nextBatch(10);
    expect(seqs(batch)).toEqual([1, 3]);
    expect(validators.events.check({ events: batch })).toBe(true);
    expect(outbox.health().quarantined).toBe(1);
    // The status the gateway publishes carries the count to the cloud and the console.
    expect(outbox.status()).toMatchObject({ depth: 2, quarantined: 1 });
    const [kept] = outbox.quarantined();
    expect(kept).toMatchObject({ seq: 2, type: "access" });
    expect(JSON.parse(kept?.body ?? "{}")).toEqual(refused);
    expect(kept?.problem).toMatch(/^\/member: /);
    // Logged once, by seq, type and the rule broken; never the body.
    const logged = lines.filter((line) => line.seq === 2);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ type: "access", at: "append", quarantined: 1 });
    expect(JSON.stringify(logged)).not.toContain(refused.id);
    outbox.ack(3);
    expect(outbox.nextBatch(10)).toEqual([]);
    expect(outbox.quarantined()).toHaveLength(1); // acks never delete the quarantine
  });

  it("moves poison rows already on disk out of the way when batching, and keeps them", () => {
    const dir = newDir();
    open(dir).close();
    const good = (n: number) => JSON.stringify({ ...accessEvent(n), seq: n });
    writeRowsBehindTheOutboxsBack(dir, [
      [1, JSON.stringify({ ...poison(1), seq: 1 })],
      [2, good(2)],
      [3, "{ not json"],
      [4, JSON.stringify({ ...poison(4), seq: 4 })],
      [5, good(5)],
      [6, good(6)],
      [7, good(7)],
    ]);
    const { logger, lines } = capturingLogger();
    const outbox = open(dir, logger);
    // The batch fills past the poison rows: three asked, three valid ones given.
    expect(seqs(outbox.nextBatch(3))).toEqual([2, 5, 6]);
    expect(outbox.health().quarantined).toBe(3);
    expect(outbox.status().depth).toBe(4);
    expect(outbox.quarantined().map((row) => [row.seq, row.problem])).toEqual([
      [1, expect.stringMatching(/^\/member: /)],
      [3, "body is not JSON"],
      [4, expect.stringMatching(/^\/member: /)],
    ]);
    expect(lines.filter((line) => line.at === "batch").map((line) => line.seq)).toEqual([1, 3, 4]);
    // Asked again, the quarantine is not logged again, and the batch is the same.
    expect(seqs(outbox.nextBatch(3))).toEqual([2, 5, 6]);
    expect(lines.filter((line) => line.at === "batch")).toHaveLength(3);
    outbox.ack(6);
    expect(seqs(outbox.nextBatch(3))).toEqual([7]);
    expect(outbox.append(accessEvent(8)).seq).toBe(8);
    outbox.close();
    // On disk across a restart, counted again at open.
    const reopened = open(dir);
    expect(reopened.health().quarantined).toBe(3);
    expect(seqs(reopened.nextBatch(10))).toEqual([7, 8]);
  });

  it("opens an outbox file of the first schema and adds the quarantine to it", () => {
    const dir = newDir();
    const db = new Database(join(dir, "outbox.db"));
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO meta (key, value) VALUES ('lastSeq', 1);
      CREATE TABLE events (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL);
      PRAGMA user_version = 1;
    `);
    db.prepare("INSERT INTO events (seq, type, body) VALUES (1, 'access', ?)").run(
      JSON.stringify({ ...poison(1), seq: 1 }),
    );
    db.close();
    const outbox = open(dir);
    expect(outbox.nextBatch(10)).toEqual([]);
    expect(outbox.health().quarantined).toBe(1);
    expect(outbox.append(accessEvent(2)).seq).toBe(2);
  });
});
