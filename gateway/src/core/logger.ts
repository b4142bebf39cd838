import { type Logger, pino } from "pino";

export type { Logger };

/**
 * The gateway's root logger. Modules take a child (`logger.child({ module: "gateway:door" })`).
 * The redaction list is a second line of defence: code never logs a raw UID or a secret.
 */
export function createLogger(level: string = process.env.PASSERELLE_LOG_LEVEL ?? "info"): Logger {
  return pino({
    level,
    base: { service: "passerelle-gateway" },
    redact: {
      paths: ["uid", "*.uid", "password", "*.password", "secret", "*.secret"],
      censor: "[redacted]",
    },
  });
}

/** A logger that writes nothing, for tests and benchmarks. */
export const silentLogger: Logger = pino({ level: "silent" });
