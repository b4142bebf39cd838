/**
 * An error with a stable machine-readable code: callers branch on `code` (and tests assert it),
 * never on the message, which is for people. Each area extends it with its own closed union of
 * codes (ProtocolError, DomainError, StoreError, BrokerError, …) and its own `name`.
 */
export class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
