import type { TestCloud } from "../../support/httpFixture.js";

/**
 * The role matrix (issue 4: "roles enforced in one place and tested as a matrix"). Every API
 * route has one row; each row says what each of these callers gets.
 * - manager: manages centre A (redu), where the rows' targets live
 * - otherManager: manages centre B (ciney) only, so A's data must be 404 for them
 * - worker: member Ann of centre A, no staff role
 */
export const matrixRoles = [
  "anonymous",
  "worker",
  "manager",
  "otherManager",
  "coordinator",
] as const;
export type MatrixRole = (typeof matrixRoles)[number];

export type Expectations = Readonly<Record<MatrixRole, number>>;

export interface MatrixContext {
  readonly t: TestCloud;
  /** A fresh lowercase suffix, for ids and e-mails a row creates. */
  unique(): string;
}

/** What one call needs beyond the row's defaults. */
export interface Prepared {
  params?: Record<string, string>;
  body?: unknown;
  query?: string;
  /** Replaces the role's fixture token (e.g. a fresh one for logout). */
  token?: string;
}

export interface MatrixRow {
  /** "METHOD /path/:param" exactly as registered, without the /api/v1 prefix. */
  readonly route: string;
  readonly expect: Expectations;
  readonly params?: Record<string, string>;
  readonly body?: unknown;
  /**
   * Runs before each role's call. Rows that change or delete something create a fresh target
   * here, so one role's call cannot change what the next role meets.
   */
  readonly prepare?: (ctx: MatrixContext, role: MatrixRole) => Promise<Prepared>;
}

/** Any logged-in caller. */
export const anyoneLoggedIn = (ok: number): Expectations => ({
  anonymous: 401,
  worker: ok,
  manager: ok,
  otherManager: ok,
  coordinator: ok,
});

/** Staff data of centre A: its manager and the coordinator; B's manager sees nothing there. */
export const staffOfCentreA = (ok: number): Expectations => ({
  anonymous: 401,
  worker: 403,
  manager: ok,
  otherManager: 404,
  coordinator: ok,
});

/** Staff lists that each manager sees a part of. */
export const anyStaff = (ok: number): Expectations => ({
  anonymous: 401,
  worker: 403,
  manager: ok,
  otherManager: ok,
  coordinator: ok,
});

export const coordinatorOnly = (ok: number): Expectations => ({
  anonymous: 401,
  worker: 403,
  manager: 403,
  otherManager: 403,
  coordinator: ok,
});

/** A worker's own data (/me/...): staff-only logins have none. */
export const workerOnly = (ok: number): Expectations => ({
  anonymous: 401,
  worker: ok,
  manager: 403,
  otherManager: 403,
  coordinator: 403,
});
