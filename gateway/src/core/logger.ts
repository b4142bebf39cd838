import { type Logger, pino } from "pino";

export type { Logger };

/**
 * The gateway's root logger. Modules take a child (`logger.child({ module: "gateway:door" })`).
 * The redaction list is a second line of defence: code never logs a raw UID or a secret.
 */
export function createLogger(
  level: string = process.env.PASSERELLE_LOG_LEVEL ?? "info",
  /** Where the JSON lines go; stdout by default (a test may collect them). */
  destination?: { write(line: string): void },
): Logger {
  const options = {
    level,
    base: { service: "passerelle-gateway" },
    redact: {
      paths: ["uid", "*.uid", "password", "*.password", "secret", "*.secret"],
      censor: "[redacted]",
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

/** A logger that writes nothing, for tests and benchmarks. */
export const silentLogger: Logger = pino({ level: "silent" });
