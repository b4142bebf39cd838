import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EventType, type GatewayEvent, uuidv7 } from "@passerelle/protocol";
import { type Logger, pino } from "pino";

/** A fresh directory for one test's database, removed by the returned cleanup. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "passerelle-outbox-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An event as the app hands it to the outbox (everything but the seq). */
export function accessEvent(n: number, type: EventType = "access"): Omit<GatewayEvent, "seq"> {
  const time = Date.parse("2026-11-23T08:00:00.000Z") + n * 1000;
  return {
    id: uuidv7(time),
    time: new Date(time).toISOString(),
    type,
    centre: "redu",
    door: "main",
    ...(type === "access"
      ? { direction: "in", member: `m-${n}`, decision: "granted", reason: "pass" }
      : {}),
  } as Omit<GatewayEvent, "seq">;
}

/** A pino logger whose lines are kept as objects. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: "debug" },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}
