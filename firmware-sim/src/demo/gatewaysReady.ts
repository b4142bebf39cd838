import { setTimeout as sleep } from "node:timers/promises";
import type { CloudChild } from "./cloudChild.js";

interface StatusView {
  online: boolean;
  bundleVersion: number | null;
}

/**
 * Waits until the cloud sees every gateway online with a bundle, so the first people of the day
 * do not meet a door still starting ("no-bundle"). Returns the ids still not ready at the deadline.
 */
export async function waitForGateways(
  cloud: CloudChild,
  gatewayIds: readonly string[],
  timeoutMs: number,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let waiting = [...gatewayIds];
  while (waiting.length > 0 && Date.now() < deadline) {
    const states = await Promise.all(
      waiting.map((gatewayId) =>
        cloud.control<StatusView | null>({ op: "gateway-status", gatewayId }),
      ),
    );
    waiting = waiting.filter((_, i) => !(states[i]?.online && states[i]?.bundleVersion !== null));
    if (waiting.length > 0) await sleep(250);
  }
  return waiting;
}
