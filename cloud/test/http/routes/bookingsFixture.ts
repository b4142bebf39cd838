import { DateTime } from "luxon";
import { createMember } from "../../../src/domain/members.js";
import { createPass } from "../../../src/domain/passes.js";
import { createResource } from "../../../src/domain/resources.js";
import { createUser } from "../../../src/domain/users.js";
import type { RunningCloud } from "../../../src/server.js";
import { admin } from "../../support/fixtures.js";
import {
  type ApiResponse,
  type CallOptions,
  password,
  startTestCloud,
} from "../../support/httpFixture.js";

/**
 * The shared test cloud (test/support/httpFixture.ts: redu and ciney, open on weekdays 08–18,
 * one login per role) with what the reservation routes need on top: a second desk in redu,
 * passes that run from now on (the shared ones end with 2026, and these tests book days and
 * weeks ahead), and Zoe, a member without any pass. Times are picked relative to now.
 */
export interface BookingsWorld {
  cloud: RunningCloud;
  /** Bearer tokens by person. */
  tokens: {
    ann: string; // worker, network pass
    bob: string; // other worker, network pass
    zoe: string; // worker without any pass
    marc: string; // manager of redu
    lea: string; // manager of ciney
    cora: string; // coordinator
  };
  members: { ann: string; bob: string; zoe: string };
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  /** Every log line the cloud wrote (debug level), to check no secret reached them. */
  logLines(): readonly string[];
  stop(): Promise<void>;
}

export const zone = "Europe/Brussels";
const DAY = 86_400_000;

/** The next Monday–Friday (at least `afterDays` days ahead) at this local hour. */
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
  const t = await startTestCloud();
  const deps = t.deps;
  await createResource(deps, admin, {
    id: "redu-desk-2",
    centreId: t.ids.centre,
    kind: "desk",
    name: "Desk 2",
  });
  const now = Date.now();
  const fromNowOn = { validFrom: now - DAY, validTo: now + 400 * DAY };
  for (const memberId of [t.ids.workerMemberId, t.ids.otherWorkerMemberId]) {
    await createPass(deps, admin, { memberId, kind: "network", ...fromNowOn });
  }
  const zoe = await createMember(deps, admin, { name: "Zoe", email: "zoe@example.org" });
  await createUser(deps, admin, { email: "zoe@example.org", password, memberId: zoe.id });

  return {
    cloud: t.cloud,
    tokens: {
      ann: t.tokens.worker,
      bob: t.tokens.otherWorker,
      zoe: await t.login("zoe@example.org"),
      marc: t.tokens.manager,
      lea: t.tokens.otherManager,
      cora: t.tokens.coordinator,
    },
    members: { ann: t.ids.workerMemberId, bob: t.ids.otherWorkerMemberId, zoe: zoe.id },
    call: (method, path, options) => t.call(method, path, options),
    logLines: () => t.logLines(),
    stop: () => t.stop(),
  };
}

/** The parsed JSON body of a response (problem+json included). */
// biome-ignore lint/suspicious/noExplicitAny: test bodies are read loosely and asserted on.
export const body = async (response: ApiResponse): Promise<any> => response.body;
