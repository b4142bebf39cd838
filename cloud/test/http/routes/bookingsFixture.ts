import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { issueToken } from "../../../src/domain/authTokens.js";
import { createMember } from "../../../src/domain/members.js";
import { createPass } from "../../../src/domain/passes.js";
import { createResource } from "../../../src/domain/resources.js";
import { grantStaffRole } from "../../../src/domain/staff.js";
import { createUser } from "../../../src/domain/users.js";
import { type RunningCloud, startCloud } from "../../../src/server.js";
import { admin, allDayEveryDay, centre, weekdays8to18 } from "../../support/fixtures.js";

/**
 * A running cloud (real clock, SQLite, HTTP on a random port) for the reservation routes, with
 * two centres and one principal per role. A minimal stand-in until the shared HTTP fixture
 * (test/support/httpFixture.ts) lands. Times are picked relative to now, in Redu's zone.
 */
export interface BookingsWorld {
  cloud: RunningCloud;
  /** Bearer tokens by role. */
  tokens: {
    ann: string; // worker with a network pass
    bob: string; // worker with a network pass
    zoe: string; // worker without any pass
    marc: string; // manager of redu
    lea: string; // manager of lille
    cora: string; // coordinator
  };
  members: { ann: string; bob: string; zoe: string };
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ): Promise<Response>;
  stop(): Promise<void>;
}

export const zone = "Europe/Brussels";
const DAY = 86_400_000;

/** The next Monday–Friday (at least `afterDays` days ahead) at this local hour, ISO with offset. */
export function weekdayAt(hour: number, minute = 0, afterDays = 2): DateTime {
  let day = DateTime.now().setZone(zone).plus({ days: afterDays }).startOf("day");
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day.set({ hour, minute });
}

/** The next Saturday, at this local hour. */
export function saturdayAt(hour: number): DateTime {
  let day = DateTime.now().setZone(zone).plus({ days: 1 }).startOf("day");
  while (day.weekday !== 6) day = day.plus({ days: 1 });
  return day.set({ hour });
}

/** "2026-12-03T10:00:00.000+01:00": with its offset, as clients must send. */
export const iso = (time: DateTime) => time.toISO({ includeOffset: true }) ?? "";

export async function startBookingsWorld(): Promise<BookingsWorld> {
  const dataDir = await mkdtemp(join(tmpdir(), "passerelle-bookings-"));
  const cloud = await startCloud({
    dataDir,
    http: { host: "127.0.0.1", port: 0 },
    broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
    logLevel: "silent",
  });
  const deps = cloud.services.deps;
  await centre(deps, "redu", weekdays8to18);
  await centre(deps, "lille", allDayEveryDay);
  const resources = [
    { id: "redu-desk-1", centreId: "redu", kind: "desk" as const, name: "Desk 1" },
    { id: "redu-desk-2", centreId: "redu", kind: "desk" as const, name: "Desk 2" },
    { id: "redu-room-a", centreId: "redu", kind: "room" as const, name: "Room A", capacity: 8 },
    { id: "lille-desk-1", centreId: "lille", kind: "desk" as const, name: "Bureau 1" },
  ];
  for (const resource of resources) await createResource(deps, admin, resource);

  const now = Date.now();
  const member = async (name: string, withPass: boolean) => {
    const created = await createMember(deps, admin, {
      name,
      email: `${name.toLowerCase()}@example.org`,
    });
    if (withPass) {
      await createPass(deps, admin, {
        memberId: created.id,
        kind: "network",
        validFrom: now - DAY,
        validTo: now + 400 * DAY,
      });
    }
    return created.id;
  };
  const members = {
    ann: await member("Ann", true),
    bob: await member("Bob", true),
    zoe: await member("Zoe", false),
  };

  const password = "correct horse battery staple";
  const tokenFor = async (
    name: string,
    options: { memberId?: string; manager?: string; coordinator?: boolean } = {},
  ) => {
    const user = await createUser(deps, admin, {
      email: `${name}.login@example.org`,
      password,
      memberId: options.memberId ?? null,
    });
    if (options.manager)
      await grantStaffRole(deps, admin, {
        userId: user.id,
        role: "manager",
        centreId: options.manager,
      });
    if (options.coordinator)
      await grantStaffRole(deps, admin, { userId: user.id, role: "coordinator" });
    const { token } = await issueToken(deps, `user:${user.id}`, {
      userId: user.id,
      kind: "session",
    });
    return token;
  };
  const tokens = {
    ann: await tokenFor("ann", { memberId: members.ann }),
    bob: await tokenFor("bob", { memberId: members.bob }),
    zoe: await tokenFor("zoe", { memberId: members.zoe }),
    marc: await tokenFor("marc", { manager: "redu" }),
    lea: await tokenFor("lea", { manager: "lille" }),
    cora: await tokenFor("cora", { coordinator: true }),
  };

  return {
    cloud,
    tokens,
    members,
    call: (method, path, options = {}) =>
      fetch(`${cloud.httpUrl}/api/v1${path}`, {
        method,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      }),
    async stop() {
      await cloud.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Problem {
  status: number;
  title: string;
  detail: string;
  errors: { field: string; message: string }[];
}

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read loosely and asserted on.
export const body = async (response: Response): Promise<any> => response.json();
