/**
 * The gateway as a library: what main.ts wires, for a program that embeds the gateway (a test
 * harness, the simulator, another launcher). `new GatewayApp({ config, logger, parts: (context)
 * => createDefaultParts(config, logger, context) })` then `start()` is what main.ts does.
 */
export { handleBadge } from "./badgeFlow.js";
export {
  BundleStore,
  type BundleStoreOptions,
  type BundleStoreStatus,
} from "./bundleStore/bundleStore.js";
export {
  ConfigError,
  environmentOverrides,
  loadConfig,
  resolveConfig,
} from "./config/configLoader.js";
export { type GatewayConfig, GatewayConfigSchema } from "./config/configSchema.js";
export {
  type AccessIndex,
  applyDeltaToIndex,
  buildIndex,
  CredentialTable,
  type IndexedPass,
} from "./decision/accessIndex.js";
export { type AccessDecision, type AccessRequest, decide } from "./decision/decide.js";
export { createDefaultParts } from "./defaultParts.js";
export { GatewayApp, type GatewayAppOptions, gatewayVersion } from "./gatewayApp.js";
export type {
  DoorUnit,
  GatewayParts,
  OccupancyFeed,
  Outbox,
  PartEvent,
  PartsContext,
} from "./gatewayParts.js";
export {
  type CreateHardwareDeps,
  createHardware,
  type DoorHardware,
  type Hardware,
  type ModuleLoaders,
  modulesNeeded,
} from "./hardware/createHardware.js";
export {
  type DoorConfig,
  type HardwareConfig,
  type InputConfig,
  type LockConfig,
  parseHardwareConfig,
  type ReaderConfig,
} from "./hardware/hardwareConfig.js";
export {
  type BadgePresentation,
  type BadgeReader,
  type DoorInput,
  HardwareError,
  type LockOutput,
  type ReaderState,
  type ReaderStatus,
  type Unsubscribe,
} from "./hardware/ports.js";
export { createLogger, type Logger, silentLogger } from "./logger.js";
