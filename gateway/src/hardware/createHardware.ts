import { type Logger, silentLogger } from "../core/logger.js";
import { GpioDoorInput } from "./gpio/gpioDoorInput.js";
import { type GpioLineFactory, onoffLineFactory } from "./gpio/gpioLine.js";
import { GpioLockOutput } from "./gpio/gpioLockOutput.js";
import {
  type DoorConfig,
  exitReaderId,
  type HardwareConfig,
  type InputConfig,
  type LockConfig,
  parseHardwareConfig,
  type ReaderConfig,
} from "./hardwareConfig.js";
import { OsdpBadgeReader } from "./osdp/osdpBadgeReader.js";
import type { NfcPcscModule } from "./pcsc/nfcPcscTypes.js";
import { importNfcPcsc, PcscBadgeReader } from "./pcsc/pcscBadgeReader.js";
import type { BadgeReader, DoorInput, LockOutput } from "./ports.js";
import { readKeyFile } from "./readKeyFile.js";
import { type SerialPortFactory, serialportFactory } from "./serialRelay/serialPortTypes.js";
import { SerialRelayLock } from "./serialRelay/serialRelayLock.js";
import { SerialRelayPort } from "./serialRelay/serialRelayPort.js";
import { SimBadgeReader } from "./sim/simBadgeReader.js";
import { inProcessLink, type SimDeviceLink, type SimDeviceSource } from "./sim/simDeviceLink.js";
import { SimDoorInput } from "./sim/simDoorInput.js";
import { SimLockOutput } from "./sim/simLockOutput.js";
import { socketLink } from "./sim/socketDeviceLink.js";

export interface DoorHardware {
  id: string;
  contact?: DoorInput;
  exitButton?: DoorInput;
  /** The reader inside the door: its badges are exits through this door. */
  exitReader?: BadgeReader;
  lock: LockOutput;
}

/** Every adapter of one gateway, started and stopped together. */
export interface Hardware {
  /** The entry reader, outside the first door. */
  reader: BadgeReader;
  doors: DoorHardware[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The entry reader, then each door's inside reader with the door it lets people out of. */
export function gatewayReaders(hardware: Hardware): { reader: BadgeReader; exitDoor?: string }[] {
  return [
    { reader: hardware.reader },
    ...hardware.doors.flatMap((door) =>
      door.exitReader ? [{ reader: door.exitReader, exitDoor: door.id }] : [],
    ),
  ];
}

/** Native module loaders, one per optional package; tests replace them. */
export interface ModuleLoaders {
  nfcPcsc(): Promise<NfcPcscModule>;
  onoff(): Promise<GpioLineFactory>;
  serialport(): Promise<SerialPortFactory>;
}

export interface CreateHardwareDeps {
  logger?: Logger;
  /** Run the "sim" parts against this in-process hub instead of firmware-sim's socket. */
  simHub?: SimDeviceSource;
  loaders?: Partial<ModuleLoaders>;
}

const defaultLoaders: ModuleLoaders = {
  nfcPcsc: importNfcPcsc,
  onoff: onoffLineFactory,
  serialport: serialportFactory,
};

/** Which optional modules a configuration needs: only those are ever loaded. */
export function modulesNeeded(config: HardwareConfig): Set<keyof ModuleLoaders> {
  const needed = new Set<keyof ModuleLoaders>();
  for (const reader of [config.reader, ...config.doors.map((door) => door.exitReader)]) {
    if (reader?.adapter === "pcsc") needed.add("nfcPcsc");
    if (reader?.adapter === "osdp") needed.add("serialport");
  }
  for (const door of config.doors) {
    for (const part of [door.lock, door.contact, door.exitButton]) {
      if (part?.adapter === "gpio") needed.add("onoff");
      if (part?.adapter === "serial-relay") needed.add("serialport");
    }
  }
  return needed;
}

/**
 * Builds the adapters a `hardware` config section names. The optional native modules the
 * configuration needs are loaded here, before anything starts, so a missing one is reported
 * at once as a HardwareError("module-missing"); the others are never imported.
 */
export async function createHardware(
  rawConfig: unknown,
  deps: CreateHardwareDeps = {},
): Promise<Hardware> {
  const config = parseHardwareConfig(rawConfig);
  const logger = deps.logger ?? silentLogger;
  const loaders = { ...defaultLoaders, ...deps.loaders };
  const needed = modulesNeeded(config);
  const nfc = needed.has("nfcPcsc") ? await loaders.nfcPcsc() : undefined;
  const gpio = needed.has("onoff") ? await loaders.onoff() : undefined;
  const serial = needed.has("serialport") ? await loaders.serialport() : undefined;

  const link = (device: string, endpoint: string | undefined): SimDeviceLink =>
    deps.simHub !== undefined
      ? inProcessLink(deps.simHub, device)
      : socketLink(endpoint ?? config.simEndpoint, device, { logger });

  const badgeReader = async (readerConfig: ReaderConfig, readerId: string): Promise<BadgeReader> =>
    readerConfig.adapter === "pcsc"
      ? new PcscBadgeReader({
          id: readerId,
          ...(readerConfig.readerName ? { readerName: readerConfig.readerName } : {}),
          ...(readerConfig.pcscdSocket ? { pcscdSocket: readerConfig.pcscdSocket } : {}),
          ...(readerConfig.readNdefFile ? { readNdefFile: true } : {}),
          logger,
          loadModule: async () => nfc as NfcPcscModule,
        })
      : readerConfig.adapter === "osdp"
        ? new OsdpBadgeReader({
            id: readerId,
            path: readerConfig.path,
            baudRate: readerConfig.baudRate,
            address: readerConfig.address,
            masterKey: await readKeyFile(readerConfig.masterKeyFile),
            installMode: readerConfig.installMode,
            logger,
            portFactory: async () => serial as SerialPortFactory,
          })
        : new SimBadgeReader(
            readerId,
            link(readerConfig.device ?? readerId, readerConfig.endpoint),
            {
              logger,
            },
          );
  const reader = await badgeReader(config.reader, config.reader.id ?? "reader-1");

  const serialPorts = new Map<string, SerialRelayPort>();
  const sysfs = config.sysfsGpioRoot !== undefined ? { sysfsRoot: config.sysfsGpioRoot } : {};
  const gpioLines = async () => gpio as GpioLineFactory;

  const input = (door: DoorConfig, role: "contact" | "exit-button", part: InputConfig) => {
    const id = `${door.id}:${role}`;
    if (part.adapter === "sim")
      return new SimDoorInput(id, link(part.device ?? id, part.endpoint), { logger });
    return new GpioDoorInput({
      id,
      line: part.line,
      activeLow: part.activeLow,
      debounceMs: part.debounceMs,
      ...(part.chipLabel ? { chipLabel: part.chipLabel } : {}),
      ...sysfs,
      logger,
      lineFactory: gpioLines,
    });
  };

  const lock = (door: DoorConfig, part: LockConfig): LockOutput => {
    const id = `${door.id}:lock`;
    if (part.adapter === "sim")
      return new SimLockOutput(id, link(part.device ?? id, part.endpoint), { logger });
    if (part.adapter === "gpio") {
      return new GpioLockOutput({
        id,
        line: part.line,
        activeLow: part.activeLow,
        ...(part.chipLabel ? { chipLabel: part.chipLabel } : {}),
        ...sysfs,
        logger,
        lineFactory: gpioLines,
      });
    }
    let port = serialPorts.get(part.path);
    if (port === undefined) {
      port = new SerialRelayPort({
        path: part.path,
        baudRate: part.baudRate,
        logger,
        portFactory: async () => serial as SerialPortFactory,
      });
      serialPorts.set(part.path, port);
    }
    return new SerialRelayLock(id, port, part.channel);
  };

  const doors: DoorHardware[] = [];
  for (const door of config.doors) {
    doors.push({
      id: door.id,
      lock: lock(door, door.lock),
      ...(door.contact ? { contact: input(door, "contact", door.contact) } : {}),
      ...(door.exitButton ? { exitButton: input(door, "exit-button", door.exitButton) } : {}),
      ...(door.exitReader
        ? { exitReader: await badgeReader(door.exitReader, exitReaderId(door)) }
        : {}),
    });
  }
  return assemble(reader, doors);
}

function assemble(reader: BadgeReader, doors: DoorHardware[]): Hardware {
  const parts = [
    reader,
    ...doors.flatMap((door) => [door.lock, door.contact, door.exitButton, door.exitReader]),
  ].filter((part): part is BadgeReader | DoorInput | LockOutput => part !== undefined);
  const started: typeof parts = [];
  const stopAll = async () => {
    for (const part of started.splice(0).reverse()) await part.stop();
  };
  return {
    reader,
    doors,
    async start() {
      try {
        for (const part of parts) {
          await part.start();
          started.push(part);
        }
      } catch (error) {
        // Nothing half-started is left holding a port or a GPIO line.
        await stopAll();
        throw error;
      }
    },
    stop: stopAll,
  };
}
