import { CodedError } from "@passerelle/protocol";

/** Why the testkit could not hand a service to a test, as a stable code. */
export type TestkitErrorCode =
  | "service.unavailable"
  | "service.start-failed"
  | "service.stop-failed"
  | "config.invalid";

export class TestkitError extends CodedError<TestkitErrorCode> {
  override readonly name = "TestkitError";
}
