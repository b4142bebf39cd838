/** Why the testkit could not hand a service to a test, as a stable code. */
export type TestkitErrorCode =
  | "service.unavailable"
  | "service.start-failed"
  | "service.stop-failed"
  | "config.invalid";

export class TestkitError extends Error {
  override readonly name = "TestkitError";

  constructor(
    readonly code: TestkitErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
