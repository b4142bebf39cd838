/**
 * The replay rule of SUN cards: a card's read counter goes up by one on every read, so a
 * message whose counter is not greater than the highest one seen for that card is a replay
 * (or a clone answering with a recorded message). Pure: the caller keeps the map, persists it
 * and merges the highest counters the cloud sends back with the bundle.
 */
export type CounterCheck =
  | { readonly fresh: true; readonly highest: number }
  | { readonly fresh: false; readonly highest: number };

export function checkReadCounter(lastSeen: number | undefined, readCounter: number): CounterCheck {
  if (lastSeen !== undefined && readCounter <= lastSeen) return { fresh: false, highest: lastSeen };
  return { fresh: true, highest: readCounter };
}
