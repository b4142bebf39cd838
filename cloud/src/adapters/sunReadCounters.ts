import type { GatewayEvent } from "@passerelle/protocol";
import type { Executor } from "../store/openStore.js";

/**
 * The highest SUN read counter per card among new events (docs/hardware.md "Read counters
 * across centres"). Only fresh counters travel (the gateway sends one with the event of a SUN
 * it accepted), but events arrive late and out of order, so the store keeps the maximum.
 */
export function highestReadCounters(events: readonly GatewayEvent[]): Map<string, number> {
  const highest = new Map<string, number>();
  for (const event of events) {
    if (event.readCounter === undefined || event.credential === undefined) continue;
    const seen = highest.get(event.credential);
    if (seen === undefined || event.readCounter > seen) {
      highest.set(event.credential, event.readCounter);
    }
  }
  return highest;
}

/**
 * Raises each card's `read_counter` to the given one, never lowers it; in the ingest's
 * transaction, so the counter is stored exactly when its event is. Revoked badges of the same
 * card are raised too: a re-issued card keeps its spent messages spent.
 */
export async function raiseReadCounters(
  trx: Executor,
  highest: ReadonlyMap<string, number>,
): Promise<void> {
  for (const [hash, counter] of highest) {
    await trx
      .updateTable("badges")
      .set({ read_counter: counter })
      .where("credential_hash", "=", hash)
      .where((eb) => eb.or([eb("read_counter", "is", null), eb("read_counter", "<", counter)]))
      .execute();
  }
}
