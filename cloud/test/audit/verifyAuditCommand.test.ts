import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AuditLog } from "../../src/audit/auditLog.js";
import { verifyAuditCommand } from "../../src/audit/verifyAuditCommand.js";
import { openStore } from "../../src/store/openStore.js";
import { TestClock } from "../support/fixtures.js";

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "passerelle-verify-audit-"));
  const store = await openStore({ dataDir });
  const log = new AuditLog(store, new TestClock(Date.parse("2026-03-02T07:00:00Z")));
  for (const n of [1, 2, 3]) {
    await store.write((trx) =>
      log.recordChange(
        { actor: "cli:test", action: "test.append", subject: `thing:${n}`, detail: { n } },
        trx,
      ),
    );
  }
  await store.close();
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

it("reports a sound chain with exit code 0, then names the altered entry with 1", async () => {
  const lines: string[] = [];
  const print = (line: string) => lines.push(line);
  expect(await verifyAuditCommand({ store: { dataDir }, print })).toBe(0);
  expect(lines).toEqual([
    expect.stringMatching(/^audit chain sound: 3 entries, last hash [0-9a-f]{64}$/),
  ]);

  const store = await openStore({ dataDir });
  await sql`update audit_log set detail = '{"n":20}' where id = 2`.execute(store.db);
  lines.length = 0;
  expect(await verifyAuditCommand({ store, print })).toBe(1);
  expect(lines[0]).toBe(
    "audit chain BROKEN at entry 2 (hash-mismatch): its content or stored hash was changed",
  );
  expect(lines[1]).toMatch(/^1 entry before it are sound; last sound hash [0-9a-f]{64}$/);
  // A store passed in stays open for its owner.
  expect(await store.db.selectFrom("audit_log").select("id").execute()).toHaveLength(3);
  await store.close();
});
