import { type LoggerOptions, stdSerializers } from "pino";

/** Log fields that would hold a secret if anything ever logged them. */
const redactedPaths = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "*.password",
  "*.secret",
  "password",
  "secret",
];

/** `scheme://user:password@host` → `scheme://user:***@host` (a driver's error may quote its URL). */
const credentialInUrl = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]+@/gi;

export function withoutUrlCredentials(text: string): string {
  return text.replace(credentialInUrl, "$1***@");
}

/**
 * The cloud logger's safety net (docs/security.md): the code never logs secrets, but an error
 * from a driver or a library may carry a connection URL with its password, and a request object
 * its Authorization header.
 */
export const redactingLogOptions: Pick<LoggerOptions, "redact" | "serializers"> = {
  redact: { paths: redactedPaths, censor: "[redacted]" },
  serializers: {
    // Most call sites log `{ err: error.message }`, a string: serialized as the text itself.
    err: (error: unknown) => {
      if (typeof error === "string") return withoutUrlCredentials(error);
      if (!(error instanceof Error)) return error;
      const serialized = stdSerializers.err(error);
      serialized.message = withoutUrlCredentials(serialized.message ?? "");
      if (typeof serialized.stack === "string")
        serialized.stack = withoutUrlCredentials(serialized.stack);
      return serialized;
    },
  },
};
