import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  encodeMessage,
  type GatewayEvent,
  type OnlineStatus,
  topicFor,
  uuidv7,
  zonedReading,
} from "@passerelle/protocol";
import { provideService, serviceOf } from "@passerelle/testkit";
import { connectAsync } from "mqtt";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDoor } from "../../src/domain/doors.js";
import { serviceDeps } from "../../src/domain/serviceDeps.js";
import type { WeekView } from "../../src/http/apiTypes.js";
import { openStore } from "../../src/store/openStore.js";
import { InfluxV1Writer } from "../../src/timeseries/influxV1Writer.js";
import { admin, centre } from "../support/fixtures.js";
import { runCloudCli } from "./cliProcess.js";
import { type ServingCloud, startServe, stopServe } from "./serveProcess.js";

/*
 * The time series end to end: `serve` as an operator runs it with --influx-url, a gateway
 * speaking MQTT with its own credentials, and the series read back from the real influxd.
 * The gateway's morning at Redu (capacity 40), by hand:
 *   status: bundle 12 issued an hour ago            → gateway_health online 1, bundle_version 12,
 *                                                     bundle_age_s = (point time − issue) / 1000
 *   Ann in (38 ms card to relay), Ben in (52 ms), an unknown badge denied, an exit button,
 *   Ann out (41 ms)                                  → door_event granted 3, denied 1
 *                                                     (unknown-badge), door.exit 1;
 *                                                     latency_ms mean 43.67, max 52, 3 values
 *   occupancy sample: 1 inside                       → occupancy headcount 1, capacity 40, and
 *                                                     the console's week view (read from InfluxDB)
 *                                                     says 1 for this hour
 */
const influx = await provideService("influx");
const password = "a long enough password";
let dataDir: string;
let running: ServingCloud | undefined;

/** Polls an asynchronous check (the queue flushes once a second). */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("the series did not arrive in time");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function query(db: string, q: string): Promise<Record<string, unknown>[]> {
  const url = `${serviceOf(influx).url}/query?db=${db}&epoch=ms&q=${encodeURIComponent(q)}`;
  const body = (await (await fetch(url)).json()) as {
    results: {
      series?: { columns: string[]; values: unknown[][]; tags?: Record<string, string> }[];
    }[];
  };
  return (body.results[0]?.series ?? []).flatMap((series) =>
    series.values.map((row) => ({
      ...series.tags,
      ...Object.fromEntries(series.columns.map((c, i) => [c, row[i]])),
    })),
  );
}

describe.skipIf(!influx.available)(
  "serve with --influx-url: a gateway's morning in InfluxDB",
  { timeout: 120_000 },
  () => {
    beforeEach(async () => {
      dataDir = await mkdtemp(join(tmpdir(), "passerelle-serve-ts-"));
    });
    afterEach(async () => {
      if (running !== undefined) await stopServe(running);
      running = undefined;
      await rm(dataDir, { recursive: true, force: true });
    });
    afterAll(() => serviceOf(influx).stop());

    it("writes door events, latency, gateway health and occupancy, and the console reads them back", async () => {
      const db = `passerelle_serve_${process.pid}`;
      await new InfluxV1Writer({ url: serviceOf(influx).url, database: db }).createDatabase();
      const store = await openStore({ dataDir });
      await centre(serviceDeps(store), "redu");
      await store.close();
      const provisioned = await runCloudCli([
        "provision-gateway",
        "--centre",
        "redu",
        "--id",
        "redu-1",
        "--json",
        "--data-dir",
        dataDir,
      ]);
      expect(provisioned.code).toBe(0);
      const { username, secret } = JSON.parse(provisioned.stdout) as Record<string, string>;
      const withDoor = await openStore({ dataDir });
      await createDoor(serviceDeps(withDoor), admin, {
        id: "redu-main",
        centreId: "redu",
        gatewayId: "redu-1",
        name: "Entrée",
        direction: "both",
      });
      await withDoor.close();
      const made = await runCloudCli(
        ["create-coordinator", "--email", "coord@example.coop", "--data-dir", dataDir],
        { env: { PASSERELLE_PASSWORD: password } },
      );
      expect(made.code).toBe(0);

      running = await startServe([
        "--data-dir",
        dataDir,
        "--http-port",
        "0",
        "--broker-port",
        "0",
        "--influx-url",
        serviceOf(influx).url,
        "--influx-db",
        db,
      ]);
      const gateway = await connectAsync(running.brokerUrl, {
        clientId: `gw-${username}`,
        protocolVersion: 4,
        reconnectPeriod: 0,
        username,
        password: secret,
      });
      const now = Date.now();
      const issuedAt = new Date(now - 3_600_000).toISOString();
      try {
        const status: OnlineStatus = {
          state: "online",
          time: new Date(now).toISOString(),
          software: "passerelle-gateway e2e",
          centre: "redu",
          bundleVersion: 12,
          bundleValidUntil: new Date(now + 7 * 86_400_000).toISOString(),
          bundleIssuedAt: issuedAt,
          clock: { trusted: true, lastTrustedTime: new Date(now).toISOString() },
          outbox: { depth: 0, capacity: 1000, full: false, droppedSamples: 0, quarantined: 0 },
          readers: [],
          doors: [],
        };
        await gateway.publishAsync(topicFor("redu-1", "status"), encodeMessage("status", status), {
          qos: 1,
          retain: true,
        });
        const minutesAgo = (m: number) => now - m * 60_000;
        const event = (seq: number, time: number, fields: Partial<GatewayEvent>): GatewayEvent => ({
          id: uuidv7(time),
          seq,
          time: new Date(time).toISOString(),
          type: "access",
          centre: "redu",
          door: "redu-main",
          ...fields,
        });
        const events: GatewayEvent[] = [
          event(1, minutesAgo(50), {
            direction: "in",
            member: "m-ann",
            decision: "granted",
            reason: "pass",
            latencyMs: 38,
          }),
          event(2, minutesAgo(40), {
            direction: "in",
            member: "m-ben",
            decision: "granted",
            reason: "pass",
            latencyMs: 52,
          }),
          event(3, minutesAgo(30), {
            direction: "in",
            decision: "denied",
            reason: "unknown-badge",
          }),
          event(4, minutesAgo(20), { type: "door.exit" }),
          event(5, minutesAgo(10), {
            direction: "out",
            member: "m-ann",
            decision: "granted",
            reason: "pass",
            latencyMs: 41,
          }),
        ];
        await gateway.publishAsync(
          topicFor("redu-1", "events"),
          encodeMessage("events", { events }),
          { qos: 1 },
        );
        await gateway.publishAsync(
          topicFor("redu-1", "occupancy"),
          encodeMessage("occupancy", {
            time: new Date(now).toISOString(),
            centre: "redu",
            inside: 1,
            headcount: 1,
            attributed: 1,
            members: ["m-ben"],
            zones: [],
          }),
          { qos: 1 },
        );

        await waitFor(
          async () => (await query(db, `SELECT sum("count") AS n FROM door_event`))[0]?.n === 5,
          20_000,
        );
        const byOutcome = await query(
          db,
          `SELECT sum("count") AS n FROM door_event GROUP BY "type", "decision", "reason"`,
        );
        expect(byOutcome.map((r) => [r.type, r.decision, r.reason, r.n])).toEqual([
          ["access", "denied", "unknown-badge", 1],
          ["access", "granted", "pass", 3],
          ["door.exit", "none", "none", 1],
        ]);
        const latency = await query(
          db,
          `SELECT mean(latency_ms) AS mean, max(latency_ms) AS max, count(latency_ms) AS n FROM door_event`,
        );
        expect(latency[0]).toMatchObject({ max: 52, n: 3 });
        expect(latency[0]?.mean).toBeCloseTo((38 + 52 + 41) / 3, 6);

        await waitFor(async () => (await query(db, "SELECT * FROM occupancy")).length > 0, 20_000);
        const occupancy = await query(
          db,
          `SELECT headcount, capacity FROM occupancy WHERE "centre" = 'redu' AND "zone" = 'all'`,
        );
        expect(occupancy.map((r) => [r.headcount, r.capacity])).toEqual([[1, 40]]);
        const health = await query(
          db,
          `SELECT online, bundle_version, bundle_age_s FROM gateway_health WHERE "gateway" = 'redu-1'`,
        );
        expect(health.length).toBeGreaterThan(0);
        for (const row of health) {
          expect(row).toMatchObject({ online: 1, bundle_version: 12 });
          expect(row.bundle_age_s).toBeCloseTo((Number(row.time) - Date.parse(issuedAt)) / 1000, 3);
        }

        // The console's week view reads the same InfluxDB (serve was given --influx-url).
        const login = await fetch(`${running.httpUrl}/api/v1/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: "coord@example.coop", password }),
        });
        const { token } = (await login.json()) as { token: string };
        const week = (await (
          await fetch(`${running.httpUrl}/api/v1/centres/redu/occupancy/week`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).json()) as WeekView;
        expect(week.source).toBe("influxdb");
        const hour = Math.floor(zonedReading(Date.now(), "Europe/Brussels").minute / 60);
        expect(week.hours[hour]?.today).toBe(1);
      } finally {
        await gateway.endAsync(true);
      }
    });
  },
);
