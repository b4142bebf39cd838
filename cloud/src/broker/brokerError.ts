import { CodedError } from "@passerelle/protocol";

export type BrokerErrorCode = "not-started" | "listen-failed" | "refused" | "connect-failed";

/** Failures of the cloud's MQTT side: starting the broker, connecting to an external one. */
export class BrokerError extends CodedError<BrokerErrorCode> {
  override readonly name = "BrokerError";
}
