import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { createDoor } from "../../src/domain/doors.js";
import { provisionGateway } from "../../src/domain/gateways.js";
import { createResource } from "../../src/domain/resources.js";
import { serviceDeps } from "../../src/domain/serviceDeps.js";
import type { BackupManifest } from "../../src/housekeeping/backupManifest.js";
import { openStore } from "../../src/store/openStore.js";
import { admin, allDayEveryDay, centre, memberWithPass } from "../support/fixtures.js";
import { runCloudCli } from "./cliProcess.js";
import { DrillGateway } from "./drillGateway.js";
import { type ServingCloud, startServe, stopServe } from "./serveProcess.js";

/*
 * The restore drill of docs/operations.md "Backup and restore", step by step: a running cloud
 * (`serve`, a child process) under load from three gateways and a coordinator booking desks is
 * backed up with `backup`; the machine is lost (SIGKILL); `restore` puts the backup in a fresh
 * data directory and verifies it; `serve` starts on it; the gateways reconnect and re-send what
 * was never acknowledged. Every event, booking and audit entry acknowledged before the backup
 * began is found, and the audit chain verifies.
 */

const password = "a long enough password";
const freePorts = ["--http-port", "0", "--broker-port", "0"];
const dirs: string[] = [];
const running: ServingCloud[] = [];
const gateways: DrillGateway[] = [];
afterAll(async () => {
  for (const gateway of gateways) {
    gateway.stopProducing();
    await gateway.disconnect();
  }
  for (const cloud of running) await stopServe(cloud);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `passerelle-drill-${name}-`));
  dirs.push(dir);
  return dir;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean, boundMs = 60_000): Promise<void> {
  const end = Date.now() + boundMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A network to back up: a centre, a desk, a member with a pass, three gateways with a door each. */
async function seedNetwork(dataDir: string) {
  const made = await runCloudCli(
    ["create-coordinator", "--email", "coord@example.coop", "--data-dir", dataDir],
    { env: { PASSERELLE_PASSWORD: password } },
  );
  expect(made.code).toBe(0);
  const store = await openStore({ dataDir });
  try {
    const deps = serviceDeps(store);
    await centre(deps, "redu", allDayEveryDay);
    await createResource(deps, admin, {
      id: "redu-desk",
      centreId: "redu",
      kind: "desk",
      name: "Desk",
    });
    const member = await memberWithPass(deps, "Ada Drill");
    for (const n of [1, 2, 3]) {
      const { secret } = await provisionGateway(deps, admin, { id: `redu-${n}`, centreId: "redu" });
      await createDoor(deps, admin, {
        id: `redu-door-${n}`,
        centreId: "redu",
        gatewayId: `redu-${n}`,
        name: `Door ${n}`,
        direction: "both",
      });
      gateways.push(new DrillGateway(`redu-${n}`, "redu", `redu-door-${n}`, secret));
    }
    return member.id;
  } finally {
    await store.close();
  }
}

function sqlite(dataDir: string) {
  return new Database(join(dataDir, "passerelle.sqlite"));
}

it("backs up a cloud under load, restores it into a fresh directory, and finds every acknowledged event, booking and audit entry", {
  timeout: 300_000,
}, async () => {
  const dataDir = await tempDir("live");
  const memberId = await seedNetwork(dataDir);

  // 1. The cloud runs, gateways send, a coordinator books.
  const live = await startServe(["--data-dir", dataDir, ...freePorts]);
  running.push(live);
  const login = await fetch(`${live.httpUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "coord@example.coop", password }),
  });
  const { token } = (await login.json()) as { token: string };
  for (const gateway of gateways) {
    await gateway.connect(live.brokerUrl);
    gateway.startProducing(5, 50); // 100 events/s each
  }
  const bookings: { id: string; confirmedAt: number }[] = [];
  let booking = true;
  const firstSlot = Date.now() + 86_400_000 - (Date.now() % 3_600_000);
  const bookingLoop = (async () => {
    for (let slot = 0; booking; slot += 1) {
      const start = new Date(firstSlot + slot * 1_800_000);
      const response = await fetch(`${live.httpUrl}/api/v1/bookings`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({
          resourceId: "redu-desk",
          memberId,
          start: start.toISOString(),
          end: new Date(start.getTime() + 1_800_000).toISOString(),
        }),
      }).catch(() => undefined);
      if (response?.status === 201) {
        const { id } = (await response.json()) as { id: string };
        bookings.push({ id, confirmedAt: Date.now() });
      }
      await sleep(100);
    }
  })();
  await until("the first acks", () => gateways.every((g) => g.ackedAt.size >= 100));

  // 2. `backup` while serve runs and the load goes on.
  const backupDir = join(await tempDir("backups"), "passerelle-backup");
  const backupStartedAt = Date.now();
  const backup = await runCloudCli(["backup", "--data-dir", dataDir, "--out", backupDir]);
  expect(backup.stderr).toBe("");
  expect(backup.code).toBe(0);
  expect(backup.stdout).toMatch(/backup written to/);
  expect(backup.stdout).toMatch(/each gateway's broker secret/);
  const manifest = JSON.parse(
    await readFile(join(backupDir, "backup-manifest.json"), "utf8"),
  ) as BackupManifest;
  expect(manifest.files.map((file) => file.path)).toEqual(
    expect.arrayContaining([
      "passerelle.sqlite",
      "bundle-signing-key.pem",
      "bundle-signing-key.pub.pem",
    ]),
  );
  await sleep(1_000);

  // 3. The machine is lost: no clean stop, gateways keep what was not acked.
  booking = false;
  await bookingLoop;
  for (const gateway of gateways) gateway.stopProducing();
  live.child.kill("SIGKILL");
  await live.exited;
  for (const gateway of gateways) await gateway.disconnect();
  const ackedBeforeBackup = new Map(gateways.map((g) => [g.id, g.ackedBefore(backupStartedAt)]));
  const bookingsBeforeBackup = bookings.filter((b) => b.confirmedAt <= backupStartedAt);
  expect(bookingsBeforeBackup.length).toBeGreaterThan(0);
  expect(gateways.every((g) => g.outbox.length > 0 || g.ackedAt.size === g.lastSeq)).toBe(true);

  // 4. `restore` into a fresh data directory: files checked, audit chain verified.
  const restoredDir = join(await tempDir("restored"), "data");
  const restored = await runCloudCli(["restore", "--from", backupDir, "--data-dir", restoredDir]);
  expect(restored.stderr).toBe("");
  expect(restored.code).toBe(0);
  expect(restored.stdout).toMatch(/audit chain sound: \d+ entries/);

  // Every event acknowledged before the backup began is there, once.
  const before = sqlite(restoredDir);
  try {
    for (const gateway of gateways) {
      const stored = new Set(
        (
          before.prepare("select seq from access_events where gateway_id = ?").all(gateway.id) as {
            seq: number;
          }[]
        ).map((row) => row.seq),
      );
      const acked = ackedBeforeBackup.get(gateway.id) ?? [];
      expect(acked.length).toBeGreaterThan(0);
      expect(acked.filter((seq) => !stored.has(seq))).toEqual([]);
    }
    const bookingIds = new Set(
      (before.prepare("select id from bookings").all() as { id: string }[]).map((row) => row.id),
    );
    expect(bookingsBeforeBackup.filter((b) => !bookingIds.has(b.id))).toEqual([]);
    // Every audit entry of the backup is the one the lost cloud had (same id, same hash).
    const lost = sqlite(dataDir);
    try {
      const query = "select id, hash from audit_log where id <= ? order by id";
      expect(before.prepare(query).all(manifest.auditHead.lastId)).toEqual(
        lost.prepare(query).all(manifest.auditHead.lastId),
      );
    } finally {
      lost.close();
    }
  } finally {
    before.close();
  }

  // 5. `serve` on the restored directory; gateways reconnect and re-send their outbox only.
  const again = await startServe(["--data-dir", restoredDir, ...freePorts]);
  running.push(again);
  const unackedAtReconnect = new Map(gateways.map((g) => [g.id, g.outbox.map((e) => e.seq)]));
  const publishedBefore = new Map(gateways.map((g) => [g.id, g.published.length]));
  for (const gateway of gateways) await gateway.connect(again.brokerUrl);
  await until("every outbox acked by the restored cloud", () =>
    gateways.every((g) => g.outbox.length === 0),
  );
  for (const gateway of gateways) {
    const resent = new Set(gateway.published.slice(publishedBefore.get(gateway.id)));
    expect([...resent].sort((a, b) => a - b)).toEqual(unackedAtReconnect.get(gateway.id));
  }

  const after = sqlite(restoredDir);
  const figures: Record<string, number> = {};
  try {
    for (const gateway of gateways) {
      const rows = after
        .prepare("select seq from access_events where gateway_id = ? order by seq")
        .all(gateway.id) as { seq: number }[];
      const stored = new Set(rows.map((row) => row.seq));
      expect(stored.size).toBe(rows.length); // none twice
      // What is missing was acked by the lost cloud after the backup began: the window a
      // SQLite backup leaves (docs/operations.md); nothing acked before it is missing.
      const missing = [...Array(gateway.lastSeq).keys()]
        .map((i) => i + 1)
        .filter((s) => !stored.has(s));
      for (const seq of missing) {
        expect(gateway.ackedAt.get(seq)).toBeGreaterThan(backupStartedAt);
      }
      figures.sent = (figures.sent ?? 0) + gateway.lastSeq;
      figures.ackedBeforeBackup =
        (figures.ackedBeforeBackup ?? 0) + (ackedBeforeBackup.get(gateway.id)?.length ?? 0);
      figures.lostAfterBackup = (figures.lostAfterBackup ?? 0) + missing.length;
      figures.resent = (figures.resent ?? 0) + (unackedAtReconnect.get(gateway.id)?.length ?? 0);
      for (const seq of unackedAtReconnect.get(gateway.id) ?? [])
        expect(stored.has(seq)).toBe(true);
    }
  } finally {
    after.close();
  }
  figures.bookingsBeforeBackup = bookingsBeforeBackup.length;
  figures.auditEntriesInBackup = manifest.auditHead.lastId;
  // The drill's figures, for docs/operations.md (not asserted: they vary with the machine).
  console.info(`restore drill: ${JSON.stringify(figures)}`);
  const verify = await fetch(`${again.httpUrl}/api/v1/audit/verify`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  expect(verify.status).toBe(200);
  expect(await verify.json()).toMatchObject({ ok: true });
  expect(await stopServe(again)).toBe(0);
});
