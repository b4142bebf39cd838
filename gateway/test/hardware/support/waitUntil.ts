import { setTimeout as sleep } from "node:timers/promises";

/**
 * Polls a condition until it holds or the deadline passes, then fails with what was awaited.
 * Hardware and processes answer in their own time: tests wait for the event, not for a guess.
 */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
