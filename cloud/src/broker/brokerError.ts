export type BrokerErrorCode = "not-started" | "listen-failed" | "refused" | "connect-failed";

/** Failures of the cloud's MQTT side: starting the broker, connecting to an external one. */
export class BrokerError extends Error {
  override readonly name = "BrokerError";

  constructor(
    readonly code: BrokerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
