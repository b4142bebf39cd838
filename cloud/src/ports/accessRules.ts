import type { CentreAccessInput } from "./compilerInput.js";

/** The store side of access rules (centres, doors, badges, bookings, passes, staff, gateways). */
export interface AccessRulesSource {
  /** What compiling the centre's bundle needs, as of `now`; null for an unknown or archived centre. */
  loadCentre(centreId: string, now: number): Promise<CentreAccessInput | null>;
  /** Every active centre (periodic refresh, compile at start). */
  listCentres(): Promise<readonly string[]>;
  /** The enabled gateways of a centre: each gets the centre's bundle on its own topics. */
  gatewaysOf(centreId: string): Promise<readonly string[]>;
}

/**
 * Bundle versions issued per centre, kept in the store so they keep increasing across restarts
 * (a gateway refuses a bundle that is not newer than the one it holds).
 */
export interface BundleVersionStore {
  /** The highest version issued for the centre, null if none yet. */
  current(centreId: string): Promise<number | null>;
  /** Records `version` as issued; rejects when it is not above the current one. */
  commit(centreId: string, version: number): Promise<void>;
}
