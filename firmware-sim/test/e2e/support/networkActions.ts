import type { E2eNetwork } from "./e2eNetwork.js";

/** Which channel each action went through: the report says which e2e cases use the API. */
export const channelsUsed = new Map<string, "api" | "control">();

/** PASSERELLE_E2E_CHANNEL=control runs the cases through the control channel only. */
const controlOnly = process.env.PASSERELLE_E2E_CHANNEL === "control";
const served = (network: E2eNetwork, method: string, path: string) =>
  !controlOnly && network.api.has(method, path);

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Changes the tests make in the cloud: through the HTTP API when the route is served, else
 * through the demo cloud's control channel (the same domain services, so the same hooks).
 */
export async function revokeBadge(network: E2eNetwork, badgeId: string): Promise<void> {
  if (served(network, "POST", "/badges/{badgeId}/revoke")) {
    channelsUsed.set("revoke badge", "api");
    await network.api.post(`/badges/${badgeId}/revoke`, { reason: "lost (e2e)" });
    return;
  }
  channelsUsed.set("revoke badge", "control");
  await network.cloud.control({ op: "revoke-badge", badgeId, reason: "lost (e2e)" });
}

export async function createMemberWithBadge(
  network: E2eNetwork,
  input: { name: string; email: string; homeCentreId: string; uid: string },
): Promise<{ memberId: string; badgeId: string }> {
  if (
    served(network, "POST", "/members") &&
    served(network, "POST", "/members/{memberId}/badges")
  ) {
    channelsUsed.set("create member and badge", "api");
    const member = await network.api.post<{ id: string }>("/members", {
      name: input.name,
      email: input.email,
      homeCentreId: input.homeCentreId,
    });
    const badge = await network.api.post<{ id: string }>(`/members/${member.id}/badges`, {
      uid: input.uid,
    });
    return { memberId: member.id, badgeId: badge.id };
  }
  channelsUsed.set("create member and badge", "control");
  return network.cloud.control({ op: "create-member", ...input });
}

export async function createNetworkPass(
  network: E2eNetwork,
  memberId: string,
  validFrom: number,
  validTo: number,
): Promise<void> {
  if (served(network, "POST", "/members/{memberId}/passes")) {
    channelsUsed.set("create pass", "api");
    await network.api.post(`/members/${memberId}/passes`, {
      kind: "network",
      validFrom: iso(validFrom),
      validTo: iso(validTo),
    });
    return;
  }
  channelsUsed.set("create pass", "control");
  await network.cloud.control({ op: "create-pass", memberId, validFrom, validTo });
}

export async function book(
  network: E2eNetwork,
  input: { memberId: string; resourceId: string; start: number; end: number },
): Promise<void> {
  if (served(network, "POST", "/bookings")) {
    channelsUsed.set("book", "api");
    await network.api.post("/bookings", {
      resourceId: input.resourceId,
      memberId: input.memberId,
      start: iso(input.start),
      end: iso(input.end),
    });
    return;
  }
  channelsUsed.set("book", "control");
  await network.cloud.control({ op: "book", ...input });
}

export interface AccessLogEntry {
  id: string;
  gatewayId: string;
  seq: number;
  type: string;
  occurredAt: string;
  /** "out" for an exit (badge or anonymous); absent from the control channel's rows. */
  direction?: "in" | "out" | null;
  memberId: string | null;
  outcome: "granted" | "denied" | null;
  reason: string | null;
  credential: string | null;
}

/** The cloud's access log for a centre since `from` (every page). */
export async function accessLog(
  network: E2eNetwork,
  centreId: string,
  from: number,
): Promise<AccessLogEntry[]> {
  if (served(network, "GET", "/access-events")) {
    channelsUsed.set("read access log", "api");
    const items: AccessLogEntry[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: AccessLogEntry[]; nextCursor: string | null } = await network.api.get(
        "/access-events",
        { centreId, from: iso(from), limit: 500, ...(cursor ? { cursor } : {}) },
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return items;
  }
  channelsUsed.set("read access log", "control");
  const rows = await network.cloud.control<Record<string, unknown>[]>({
    op: "access-events",
    sinceMs: from,
  });
  return rows
    .filter((row) => row.centre_id === centreId)
    .map((row) => ({
      id: String(row.id),
      gatewayId: String(row.gateway_id),
      seq: Number(row.seq),
      type: String(row.type),
      occurredAt: new Date(Number(row.time)).toISOString(),
      memberId: (row.member_id as string | null) ?? null,
      outcome: (row.decision as "granted" | "denied" | null) ?? null,
      reason: (row.reason as string | null) ?? null,
      credential: (row.credential_hash as string | null) ?? null,
    }));
}

export async function insideCount(network: E2eNetwork, centreId: string): Promise<number> {
  if (served(network, "GET", "/centres/{centreId}/occupancy")) {
    channelsUsed.set("read occupancy", "api");
    return (await network.api.get<{ inside: number }>(`/centres/${centreId}/occupancy`)).inside;
  }
  channelsUsed.set("read occupancy", "control");
  const occupancy = await network.cloud.control<{ inside: number } | null>({
    op: "occupancy",
    centreId,
  });
  return occupancy?.inside ?? 0;
}

/** Polls `check` until it returns a value, or throws with `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface SessionEntry {
  id: string;
  memberId: string;
  centreId: string;
  start: string;
  end: string;
  closeReason: string;
  confirmed: boolean;
  closeEventId: string | null;
}

/** The centre's presence sessions that started since `from` (`GET /sessions`, every page). */
export async function sessionsSince(
  network: E2eNetwork,
  centreId: string,
  from: number,
): Promise<SessionEntry[]> {
  channelsUsed.set("read sessions", "api");
  const items: SessionEntry[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: SessionEntry[]; nextCursor: string | null } = await network.api.get(
      "/sessions",
      { centreId, from: iso(from), limit: 100, ...(cursor ? { cursor } : {}) },
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return items;
}
