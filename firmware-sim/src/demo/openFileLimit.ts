import { readdirSync, readFileSync } from "node:fs";

/**
 * Open files of this process against its limit (Linux /proc; elsewhere unknown). Each in-process
 * gateway holds an MQTT socket and its outbox and bundle files, so `npm run sim` with many
 * gateways ran out of descriptors (near 1 700 in issue 18) with an error far from the cause.
 */
export function openFiles(): { open: number; limit: number } | undefined {
  try {
    const open = readdirSync("/proc/self/fd").length;
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    const limit =
      soft === undefined || soft === "unlimited" ? Number.POSITIVE_INFINITY : Number(soft);
    return Number.isFinite(open) ? { open, limit } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * After the first gateway started: what all of them will need, from what the first one took.
 * Returns a sentence to stop with when it will not fit, undefined when it fits or is unknown.
 */
export function wontFit(
  before: { open: number; limit: number },
  afterFirst: { open: number; limit: number },
  gateways: number,
): string | undefined {
  const perGateway = Math.max(1, afterFirst.open - before.open);
  const needed = before.open + perGateway * gateways + 64;
  if (needed <= afterFirst.limit) return undefined;
  return (
    `${gateways} gateways need about ${needed} open files (${perGateway} each, measured on the ` +
    `first) and this process may open ${afterFirst.limit}: raise the limit first, ` +
    `e.g. \`ulimit -n ${Math.ceil(needed / 1000) * 1000}\` in this shell (up to \`ulimit -Hn\`), ` +
    "or run fewer gateways per process"
  );
}
