/**
 * The hardware port contracts as a package entry (`@passerelle/gateway/hardware-contracts`):
 * every adapter, the gateway's own and those driven by firmware-sim's system tests, must pass
 * the same behaviour tests for the port it implements.
 */
export { waitUntil } from "../support/waitUntil.js";
export {
  type BadgeReaderContractOptions,
  type BadgeReaderHarness,
  describeBadgeReaderContract,
} from "./badgeReaderContract.js";
export { type DoorInputHarness, describeDoorInputContract } from "./doorInputContract.js";
export { describeLockOutputContract, type LockOutputHarness } from "./lockOutputContract.js";
