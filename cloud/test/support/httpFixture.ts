import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createMember } from "../../src/domain/members.js";
import { createPass } from "../../src/domain/passes.js";
import type { ServiceDeps } from "../../src/domain/serviceDeps.js";
import { grantStaffRole } from "../../src/domain/staff.js";
import { createUser } from "../../src/domain/users.js";
import { cloudApi } from "../../src/http/api.js";
import type { Mailer } from "../../src/mail/mailer.js";
import { type CloudApi, type RunningCloud, startCloud } from "../../src/server.js";
import { admin, smallCentre } from "./fixtures.js";
import { writeSunKeysFile } from "./sunCards.js";

/**
 * A running cloud (embedded broker, SQLite in a temporary directory, real HTTP on a random
 * port) with a small network and one logged-in person per role, for route tests:
 *
 * - centres `redu` (A) and `ciney` (B), each with a desk, a zone and a room
 *   (`redu-desk-1`, `redu-open-space`, `redu-room-a`, same for ciney)
 * - coordinator: a staff-only login, coordinator of the network
 * - manager: manager of redu only; otherManager: manager of ciney only
 * - worker: member Ann, home centre redu, a network pass from 2026 to two years from today;
 *   otherWorker: member Bob, home centre ciney, a ciney membership for the same time
 *
 * Every login uses `password`. Log lines of the cloud are kept in `logLines()` so a test can
 * check that nothing secret was logged.
 */
export interface TestCloud {
  readonly cloud: RunningCloud;
  readonly deps: ServiceDeps;
  readonly tokens: Readonly<Record<TestRole, string>>;
  readonly ids: TestIds;
  /** One API call under /api/v1, with an optional bearer token and JSON body. */
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  login(email: string, secret?: string): Promise<string>;
  /** Every log line the cloud wrote so far (JSON text, one per line). */
  logLines(): readonly string[];
  stop(): Promise<void>;
}

export type TestRole = "coordinator" | "manager" | "otherManager" | "worker" | "otherWorker";

export interface TestIds {
  /** Centre A, managed by `manager`, home of `worker`. */
  readonly centre: string;
  /** Centre B, managed by `otherManager`, home of `otherWorker`. */
  readonly otherCentre: string;
  readonly workerMemberId: string;
  readonly otherWorkerMemberId: string;
  readonly userIds: Readonly<Record<TestRole, string>>;
  readonly emails: Readonly<Record<TestRole, string>>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The raw body text. */
  readonly text: string;
  /** The body parsed as JSON when it is JSON (problem+json included), else undefined. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely
  readonly body: any;
}

export const password = "correct horse battery staple";

const emails: Record<TestRole, string> = {
  coordinator: "coordination@example.org",
  manager: "manager.redu@example.org",
  otherManager: "manager.ciney@example.org",
  worker: "ann@example.org",
  otherWorker: "bob@example.org",
};

// The cloud runs on the real clock: the passes start in 2026 (months the hours tests use) and
// end two years from today, so bookings "from now on" stay covered whenever the suite runs.
const year2026 = {
  validFrom: Date.parse("2026-01-01T00:00:00Z"),
  validTo: Date.now() + 2 * 366 * 86_400_000,
};

/** Collects pino's output lines in memory. */
function lineCollector(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  let pending = "";
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      pending += chunk.toString();
      const parts = pending.split("\n");
      pending = parts.pop() ?? "";
      lines.push(...parts.filter((line) => line.length > 0));
      done();
    },
  });
  return { stream, lines };
}

export interface TestCloudOptions {
  logLevel?: string;
  /** PostgreSQL instead of SQLite (an empty database: storeEngines.ts freshDatabaseUrl). */
  postgresUrl?: string;
  /** PASSERELLE_METRICS_TOKEN of the cloud. */
  metricsToken?: string;
  /** Told of every API route as it is registered ("GET", "/centres/:centreId", no prefix). */
  onRoute?: (method: string, url: string) => void;
  /** Catches invitation and reset e-mails (with publicUrl, their links' base). */
  mailer?: Mailer;
  publicUrl?: string;
}

/** The real API, with an onRoute hook in its scope when the test wants the route list. */
function observedApi(onRoute: TestCloudOptions["onRoute"]): CloudApi {
  if (onRoute === undefined) return cloudApi;
  return {
    authenticate: cloudApi.authenticate,
    routes: (services) => async (app) => {
      app.addHook("onRoute", (route) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        const url = (route.url ?? route.path).replace(/^\/api\/v1/, "");
        for (const method of methods) onRoute(String(method), url);
      });
      await cloudApi.routes(services)(app);
    },
  };
}

export async function startTestCloud(options: TestCloudOptions = {}): Promise<TestCloud> {
  const dataDir = await mkdtemp(join(tmpdir(), "passerelle-http-"));
  const logs = lineCollector();
  const cloud = await startCloud(
    {
      dataDir,
      http: { host: "127.0.0.1", port: 0 },
      broker: { kind: "embedded", config: { host: "127.0.0.1", port: 0 } },
      logLevel: options.logLevel ?? "debug",
      logDestination: logs.stream,
      ...(options.mailer === undefined ? {} : { mailer: options.mailer }),
      ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
      ...(options.postgresUrl === undefined ? {} : { postgresUrl: options.postgresUrl }),
      ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
      sunKeysFile: writeSunKeysFile(dataDir),
    },
    observedApi(options.onRoute),
  );
  const deps = cloud.services.deps;

  const call = async (method: string, path: string, opts: CallOptions = {}) => {
    const response = await fetch(`${cloud.httpUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
        ...opts.headers,
      },
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    });
    const text = await response.text();
    let body: unknown;
    if ((response.headers.get("content-type") ?? "").includes("json") && text.length > 0) {
      body = JSON.parse(text);
    }
    return { status: response.status, headers: response.headers, text, body };
  };

  const login = async (email: string, secret = password) => {
    const response = await call("POST", "/auth/login", { body: { email, password: secret } });
    if (response.status !== 200) throw new Error(`login ${email}: ${response.status}`);
    return (response.body as { token: string }).token;
  };

  const [centre, otherCentre] = ["redu", "ciney"];
  await smallCentre(deps, centre);
  await smallCentre(deps, otherCentre);
  const ann = await createMember(deps, admin, {
    name: "Ann",
    email: emails.worker,
    homeCentreId: centre,
  });
  await createPass(deps, admin, { memberId: ann.id, kind: "network", ...year2026 });
  const bob = await createMember(deps, admin, {
    name: "Bob",
    email: emails.otherWorker,
    homeCentreId: otherCentre,
  });
  await createPass(deps, admin, {
    memberId: bob.id,
    kind: "centre-membership",
    validCentreId: otherCentre,
    ...year2026,
  });

  const user = (role: TestRole, memberId?: string) =>
    createUser(deps, admin, { email: emails[role], password, memberId: memberId ?? null });
  const users: Record<TestRole, string> = {
    coordinator: (await user("coordinator")).id,
    manager: (await user("manager")).id,
    otherManager: (await user("otherManager")).id,
    worker: (await user("worker", ann.id)).id,
    otherWorker: (await user("otherWorker", bob.id)).id,
  };
  await grantStaffRole(deps, admin, { userId: users.coordinator, role: "coordinator" });
  await grantStaffRole(deps, admin, { userId: users.manager, role: "manager", centreId: centre });
  await grantStaffRole(deps, admin, {
    userId: users.otherManager,
    role: "manager",
    centreId: otherCentre,
  });

  const tokens = {} as Record<TestRole, string>;
  for (const role of Object.keys(emails) as TestRole[]) tokens[role] = await login(emails[role]);

  return {
    cloud,
    deps,
    tokens,
    ids: {
      centre,
      otherCentre,
      workerMemberId: ann.id,
      otherWorkerMemberId: bob.id,
      userIds: users,
      emails,
    },
    call,
    login,
    logLines: () => [...logs.lines],
    async stop() {
      await cloud.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
