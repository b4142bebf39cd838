import { type Command, uuidv7 } from "@passerelle/protocol";
import { commitChange } from "./commitChange.js";
import { conflict, invalid } from "./domainError.js";
import { getDoor } from "./doors.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { text } from "./validation.js";

/**
 * The longest remote unlock: a minute, the command schema's ceiling (protocol Command
 * `durationMs`), so a forgotten unlock cannot leave a door open for an afternoon.
 */
export const maxRemoteUnlockSeconds = 60;
/**
 * How long the signed command stays valid: long enough for a gateway reconnecting after a
 * short network hiccup, short enough that a captured frame is useless soon after (the protocol
 * allows at most five minutes).
 */
export const remoteUnlockLifetimeMs = 60_000;

export interface RemoteUnlockOrder {
  readonly centreId: string;
  readonly gatewayId: string;
  readonly command: Command;
}

/**
 * Checks and audits a remote unlock of one door, and returns the command to sign and send to
 * its gateway. Refused: an unknown door, a door without a gateway, a duration outside 1 s to
 * `maxRemoteUnlockSeconds`, a missing reason. The audit entry is committed before the command
 * leaves, so no door opens remotely without a trace.
 */
export async function orderRemoteUnlock(
  deps: ServiceDeps,
  actor: Actor,
  input: { doorId: string; seconds: number; reason: string },
): Promise<RemoteUnlockOrder> {
  if (
    !Number.isInteger(input.seconds) ||
    input.seconds < 1 ||
    input.seconds > maxRemoteUnlockSeconds
  ) {
    throw invalid("seconds", `a whole number of seconds from 1 to ${maxRemoteUnlockSeconds}`);
  }
  const reason = text("reason", input.reason, 500);
  const door = await getDoor(deps, input.doorId);
  if (door.gatewayId === null) {
    throw conflict(`door ${door.id} has no gateway to unlock it`, "doorId");
  }
  const gatewayId = door.gatewayId;
  const now = deps.clock.now();
  const command: Command = {
    type: "command",
    id: uuidv7(now),
    gateway: gatewayId,
    action: "unlock",
    door: door.id,
    durationMs: input.seconds * 1000,
    issuedBy: actor,
    issuedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + remoteUnlockLifetimeMs).toISOString(),
  };
  await commitChange(deps, async () => ({
    result: undefined,
    audit: [
      {
        actor,
        action: "door.remote-unlock",
        subject: `door:${door.id}`,
        centre: door.centreId,
        detail: { gatewayId, seconds: input.seconds, reason, commandId: command.id },
      },
    ],
  }));
  return { centreId: door.centreId, gatewayId, command };
}
