/**
 * Who is calling. One person may hold several roles: a worker (a member) who also manages a
 * centre, a coordinator who is also a member. Roles grant nothing at the door by themselves:
 * door rights come from bundles only (docs/architecture.md "Who sees what").
 */
export interface Principal {
  userId: string;
  /** The member this login belongs to; null for staff-only accounts. */
  memberId: string | null;
  coordinator: boolean;
  /** Centres this person manages. */
  managerOf: readonly string[];
  via: "session" | "api-token";
  /** The token this request came with (logout revokes it). */
  tokenId?: string;
}

export type Role = "worker" | "manager" | "coordinator";

export function hasRole(principal: Principal, role: Role): boolean {
  switch (role) {
    case "worker":
      return principal.memberId !== null;
    case "manager":
      return principal.managerOf.length > 0;
    case "coordinator":
      return principal.coordinator;
  }
}

/** Coordinators see every centre; managers their own; workers none (they see themselves). */
export function canSeeCentre(principal: Principal, centreId: string): boolean {
  return principal.coordinator || principal.managerOf.includes(centreId);
}
