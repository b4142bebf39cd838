export {
  DeviceHub,
  type DeviceSession,
  type SimulatedDevice,
  type SimulatedDoor,
} from "./devices/deviceHub.js";
export {
  type DeviceServerAddress,
  type RunningDeviceServer,
  startDeviceServer,
} from "./devices/deviceServer.js";
export {
  type DeviceCommand,
  type DeviceEvent,
  type DeviceKind,
  encodeLine,
  LineSplitter,
  MAX_LINE_BYTES,
  parseDeviceCommand,
  type WireReaderState,
} from "./devices/deviceWire.js";
export {
  SimulatedBinaryInput,
  SimulatedDoorContact,
  SimulatedExitButton,
} from "./devices/simulatedBinaryInput.js";
export { type LockCommand, SimulatedLock } from "./devices/simulatedLock.js";
export { SimulatedReader, type SimulatedReaderState } from "./devices/simulatedReader.js";
export {
  NDEF_APPLICATION_NAME,
  NDEF_FILE_ID,
  NTAG424_ATR,
  type Ntag424CardOptions,
  SimulatedNtag424,
} from "./nfc/ntag424Card.js";
export {
  answerApdu,
  type CardBehaviour,
  MIFARE_CLASSIC_1K,
  storageCardAtr,
  VALID_UID_LENGTHS,
} from "./nfc/storageCardApdu.js";
export { VpcdCard, type VpcdCardOptions } from "./nfc/vpcdCard.js";
export {
  encodeVpcdMessage,
  VPCD_DEFAULT_PORT,
  VpcdControl,
  type VpcdMessage,
  VpcdMessageDecoder,
} from "./nfc/vpcdProtocol.js";
export {
  type OsdpMisbehaviour,
  OsdpPeripheral,
  type OsdpPeripheralOptions,
} from "./osdp/osdpPeripheral.js";
export {
  LCUS_FRAME_LENGTH,
  LCUS_START,
  LcusFrameParser,
  type LcusParseResult,
} from "./relay/lcusFrameParser.js";
export {
  LcusRelayBoard,
  type LcusRelayBoardOptions,
  type RelayChange,
} from "./relay/lcusRelayBoard.js";
