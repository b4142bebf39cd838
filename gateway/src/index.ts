/**
 * The gateway as a library: what main.ts wires, for a program that embeds the gateway (a test
 * harness, the simulator, another launcher), and the hardware adapters and the device wire
 * format the simulator (firmware-sim) implements and its system tests drive.
 * `new GatewayApp({ config, logger, parts: (context) => createDefaultParts(config, logger,
 * context) })` then `start()` is what main.ts does.
 */
export { handleBadge } from "./access/badgeFlow.js";
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
  createGatewayBus,
  type GatewayBus,
  type GatewayBusEvents,
  type GatewayEventName,
} from "./core/busEvents.js";
export { type BusOwner, EventBus } from "./core/eventBus.js";
export { createLogger, type Logger, silentLogger } from "./core/logger.js";
export type { DoorUnit, OccupancyFeed, Outbox, PartEvent } from "./core/partTypes.js";
export {
  type CheckedCredential,
  checkCredential,
  type SecureCardContext,
} from "./credentials/credentialCheck.js";
export { ReadCounterTable } from "./credentials/readCounterTable.js";
export { readSunKeys, type SecureCards, setUpSecureCards } from "./credentials/secureCardSetup.js";
export { type CardProof, proveCard } from "./credentials/sunCredential.js";
export {
  type AccessIndex,
  applyDeltaToIndex,
  buildIndex,
  CredentialTable,
  type IndexedPass,
} from "./decision/accessIndex.js";
export { type AccessDecision, type AccessRequest, decide } from "./decision/decide.js";
export { createDefaultParts } from "./defaultParts.js";
export {
  DoorController,
  type DoorControllerOptions,
} from "./doorControl/doorController.js";
export { EventOutbox, type EventOutboxOptions } from "./eventOutbox/eventOutbox.js";
export type { FeatureDefinition, GatewayFeature } from "./features/feature.js";
export { gatewayFeatures } from "./features/featureList.js";
export type { GatewayParts, GatewayPorts, PartsContext } from "./features/gatewayPorts.js";
export { GatewayApp, type GatewayAppOptions, gatewayVersion } from "./gatewayApp.js";
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
export { OsdpBadgeReader, type OsdpBadgeReaderOptions } from "./hardware/osdp/osdpBadgeReader.js";
export {
  OsdpControlPanel,
  type OsdpControlPanelOptions,
  type OsdpReaderEvent,
  type OsdpReaderState,
} from "./hardware/osdp/osdpControlPanel.js";
export { importNfcPcsc, PcscBadgeReader } from "./hardware/pcsc/pcscBadgeReader.js";
export { defaultPcscdSocket, isPcscdReachable } from "./hardware/pcsc/pcscdProbe.js";
export { type NdefFileRead, readNdefFile, type Transmit } from "./hardware/pcsc/readNdefFile.js";
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
export { SerialRelayLock } from "./hardware/serialRelay/serialRelayLock.js";
export { SerialRelayPort } from "./hardware/serialRelay/serialRelayPort.js";
export {
  type DeviceCommand,
  type DeviceEvent,
  type DeviceKind,
  type DeviceSession,
  MAX_LINE_BYTES,
  type SimDeviceSource,
  type WireReaderState,
} from "./hardware/sim/deviceWire.js";
export { SimBadgeReader } from "./hardware/sim/simBadgeReader.js";
export { inProcessLink, type SimDeviceLink } from "./hardware/sim/simDeviceLink.js";
export { SimDoorInput } from "./hardware/sim/simDoorInput.js";
export { SimLockOutput } from "./hardware/sim/simLockOutput.js";
export { socketLink } from "./hardware/sim/socketDeviceLink.js";
