import { CodedError } from "@passerelle/protocol";

export type StoreErrorCode =
  | "busy"
  | "migration-failed"
  | "nested-transaction"
  | "config"
  | "schema-too-new";

/** Failures of the store itself (not of a domain rule): the domain maps "busy" to a conflict. */
export class StoreError extends CodedError<StoreErrorCode> {
  override readonly name = "StoreError";
}
