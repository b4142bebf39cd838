import { compileValidator } from "@passerelle/protocol";
import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { HardwareError } from "./ports.js";
import { DEFAULT_SIM_ENDPOINT } from "./sim/socketDeviceLink.js";

const DeviceId = Type.String({ pattern: "^[A-Za-z0-9._:-]{1,64}$" });
const SimEndpoint = Type.String({ minLength: 2, description: "unix:/path or tcp://host:port" });
const Closed = { additionalProperties: false } as const;

const GpioLine = {
  /** BCM numbering (GPIO17 = 17), as printed on pinout diagrams; never the sysfs number. */
  line: Type.Integer({ minimum: 0, maximum: 63 }),
  activeLow: Type.Boolean({ default: false }),
  /** Label of the GPIO controller; the Raspberry Pi's is found by default. */
  chipLabel: Type.Optional(Type.String({ minLength: 1 })),
};
const SimDevice = { device: Type.Optional(DeviceId), endpoint: Type.Optional(SimEndpoint) };

export const readerSchemas = {
  pcsc: Type.Object(
    {
      adapter: Type.Literal("pcsc"),
      id: Type.Optional(DeviceId),
      readerName: Type.Optional(Type.String({ minLength: 1 })),
      pcscdSocket: Type.Optional(Type.String({ minLength: 1 })),
      /** Read the NDEF file after the UID: NTAG 424 DNA SUN cards (docs/hardware.md). */
      readNdefFile: Type.Optional(Type.Boolean()),
    },
    Closed,
  ),
  osdp: Type.Object(
    {
      adapter: Type.Literal("osdp"),
      id: Type.Optional(DeviceId),
      /** The RS-485 tty, e.g. /dev/ttyAMA0. */
      path: Type.String({ minLength: 1 }),
      baudRate: Type.Integer({ default: 115_200, minimum: 9600, maximum: 230_400 }),
      /** The reader's OSDP address on the bus. */
      address: Type.Integer({ minimum: 0, maximum: 126 }),
      /** File holding the installation's OSDP master key, 32 hex digits (mode 0600). */
      masterKeyFile: Type.String({ minLength: 1 }),
      /** Accept a reader on the install key SCBK-D and give it its own key; off in service. */
      installMode: Type.Boolean({ default: false }),
    },
    Closed,
  ),
  sim: Type.Object(
    { adapter: Type.Literal("sim"), id: Type.Optional(DeviceId), ...SimDevice },
    Closed,
  ),
};

export const inputSchemas = {
  gpio: Type.Object(
    {
      adapter: Type.Literal("gpio"),
      ...GpioLine,
      debounceMs: Type.Integer({ default: 20, minimum: 0, maximum: 1000 }),
    },
    Closed,
  ),
  sim: Type.Object({ adapter: Type.Literal("sim"), ...SimDevice }, Closed),
};

export const lockSchemas = {
  gpio: Type.Object({ adapter: Type.Literal("gpio"), ...GpioLine }, Closed),
  "serial-relay": Type.Object(
    {
      adapter: Type.Literal("serial-relay"),
      path: Type.String({ minLength: 1 }),
      channel: Type.Integer({ default: 1, minimum: 1, maximum: 8 }),
      baudRate: Type.Integer({ default: 9600, minimum: 1200, maximum: 115_200 }),
    },
    Closed,
  ),
  sim: Type.Object({ adapter: Type.Literal("sim"), ...SimDevice }, Closed),
};

type Of<T extends Record<string, TSchema>> = { [K in keyof T]: Static<T[K]> }[keyof T];
export type ReaderConfig = Of<typeof readerSchemas>;
export type InputConfig = Of<typeof inputSchemas>;
export type LockConfig = Of<typeof lockSchemas>;

export interface DoorConfig {
  id: string;
  contact?: InputConfig;
  exitButton?: InputConfig;
  /**
   * A reader on the inside of the door: a badge there is an attributable exit (an `access`
   * event with direction "out"). Its id is `<door>:exit-reader` unless given.
   */
  exitReader?: ReaderConfig;
  lock: LockConfig;
}

export interface HardwareConfig {
  reader: ReaderConfig;
  doors: DoorConfig[];
  /** Default endpoint of every "sim" part; firmware-sim's device server. */
  simEndpoint: string;
  /** Where sysfs GPIO lives; only tests change it. */
  sysfsGpioRoot?: string;
}

const compiled = new Map<TSchema, ReturnType<typeof compileValidator>>();
function validatorFor(schema: TSchema) {
  let validator = compiled.get(schema);
  if (validator === undefined) {
    validator = compileValidator(schema);
    compiled.set(schema, validator);
  }
  return validator;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates one part against the schema its `adapter` names; problems go to `problems`. */
function part<T>(
  value: unknown,
  schemas: Record<string, TSchema>,
  path: string,
  problems: string[],
): T | undefined {
  if (!isRecord(value)) {
    problems.push(`${path}: expected an object with an "adapter"`);
    return undefined;
  }
  const adapter = value.adapter;
  const schema = typeof adapter === "string" ? schemas[adapter] : undefined;
  if (schema === undefined) {
    const known = Object.keys(schemas)
      .map((name) => `"${name}"`)
      .join(", ");
    problems.push(`${path}/adapter: expected one of ${known}, got ${JSON.stringify(adapter)}`);
    return undefined;
  }
  const withDefaults = Value.Default(schema, structuredClone(value));
  const validator = validatorFor(schema);
  if (validator.check(withDefaults)) return withDefaults as T;
  for (const error of validator.errors(withDefaults, 20)) problems.push(`${path}${error}`);
  return undefined;
}

/** `{ "adapter": "sim" }`: one simulated reader and one simulated door, the demo default. */
function expandShorthand(raw: Record<string, unknown>): Record<string, unknown> {
  if (raw.adapter !== "sim") return raw;
  const { adapter: _adapter, endpoint, ...rest } = raw;
  return {
    ...rest,
    ...(endpoint !== undefined ? { simEndpoint: endpoint } : {}),
    reader: { adapter: "sim" },
    doors: [
      {
        id: "door-1",
        contact: { adapter: "sim" },
        exitButton: { adapter: "sim" },
        lock: { adapter: "sim" },
      },
    ],
  };
}

/** Checks the `hardware` section of the gateway config, listing every problem at once. */
export function parseHardwareConfig(input: unknown): HardwareConfig {
  if (!isRecord(input)) throw invalid(["/: expected an object"]);
  const raw = expandShorthand(input);
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!["reader", "doors", "simEndpoint", "sysfsGpioRoot"].includes(key)) {
      problems.push(`/${key}: unknown property`);
    }
  }
  const reader = part<ReaderConfig>(raw.reader, readerSchemas, "/reader", problems);
  const doors: { index: number; door: DoorConfig }[] = [];
  if (!Array.isArray(raw.doors) || raw.doors.length === 0 || raw.doors.length > 16) {
    problems.push("/doors: expected an array of 1 to 16 doors");
  } else {
    raw.doors.forEach((door: unknown, index) => {
      const path = `/doors/${index}`;
      if (
        !isRecord(door) ||
        typeof door.id !== "string" ||
        !/^[A-Za-z0-9._:-]{1,64}$/.test(door.id)
      ) {
        problems.push(
          `${path}/id: expected a door id of 1-64 letters, digits, '.', '_', ':' or '-'`,
        );
        return;
      }
      for (const key of Object.keys(door)) {
        if (!["id", "contact", "exitButton", "exitReader", "lock"].includes(key))
          problems.push(`${path}/${key}: unknown property`);
      }
      const lock = part<LockConfig>(door.lock, lockSchemas, `${path}/lock`, problems);
      const contact =
        door.contact === undefined
          ? undefined
          : part<InputConfig>(door.contact, inputSchemas, `${path}/contact`, problems);
      const exitButton =
        door.exitButton === undefined
          ? undefined
          : part<InputConfig>(door.exitButton, inputSchemas, `${path}/exitButton`, problems);
      const exitReader =
        door.exitReader === undefined
          ? undefined
          : part<ReaderConfig>(door.exitReader, readerSchemas, `${path}/exitReader`, problems);
      if (lock !== undefined) {
        const parsed = {
          id: door.id,
          lock,
          ...(contact ? { contact } : {}),
          ...(exitButton ? { exitButton } : {}),
          ...(exitReader ? { exitReader } : {}),
        };
        doors.push({ index, door: parsed });
      }
    });
  }
  const simEndpoint = raw.simEndpoint ?? DEFAULT_SIM_ENDPOINT;
  if (typeof simEndpoint !== "string") problems.push("/simEndpoint: expected a string");
  if (raw.sysfsGpioRoot !== undefined && typeof raw.sysfsGpioRoot !== "string") {
    problems.push("/sysfsGpioRoot: expected a string");
  }
  problems.push(...conflicts(doors));
  if (reader !== undefined) problems.push(...readerConflicts(reader, doors));
  if (problems.length > 0 || reader === undefined) throw invalid(problems);
  return {
    reader,
    doors: doors.map(({ door }) => door),
    simEndpoint: simEndpoint as string,
    ...(typeof raw.sysfsGpioRoot === "string" ? { sysfsGpioRoot: raw.sysfsGpioRoot } : {}),
  };
}

/** Two doors on one GPIO line or one relay channel would open each other. */
function conflicts(doors: readonly { index: number; door: DoorConfig }[]): string[] {
  const problems: string[] = [];
  const owners = new Map<string, string>();
  const claim = (resource: string, owner: string) => {
    const previous = owners.get(resource);
    if (previous !== undefined)
      problems.push(`${owner}: ${resource} is already used by ${previous}`);
    else owners.set(resource, owner);
  };
  for (const { index, door } of doors) {
    if (owners.has(`door ${door.id}`))
      problems.push(`/doors/${index}/id: duplicate door id ${door.id}`);
    owners.set(`door ${door.id}`, `/doors/${index}`);
    const parts = { lock: door.lock, contact: door.contact, exitButton: door.exitButton };
    for (const [name, config] of Object.entries(parts)) {
      if (config?.adapter === "gpio") claim(`GPIO line ${config.line}`, `/doors/${index}/${name}`);
    }
    if (door.lock.adapter === "serial-relay") {
      claim(`relay ${door.lock.path} channel ${door.lock.channel}`, `/doors/${index}/lock`);
    }
  }
  return problems;
}

/** The default id of a door's inside reader. */
export function exitReaderId(door: Pick<DoorConfig, "id" | "exitReader">): string {
  return door.exitReader?.id ?? `${door.id}:exit-reader`;
}

/**
 * Readers are told apart by id (a badge's reader says which door and which side), and two
 * readers cannot share one device: the same simulated device, OSDP bus address or PC/SC reader
 * would hand each card to both, an entry and an exit at once.
 */
function readerConflicts(
  reader: ReaderConfig,
  doors: readonly { index: number; door: DoorConfig }[],
): string[] {
  const problems: string[] = [];
  const ids = new Map<string, string>();
  const devices = new Map<string, string>();
  const claim = (config: ReaderConfig, id: string, path: string) => {
    const previousId = ids.get(id);
    if (previousId !== undefined)
      problems.push(`${path}/id: reader id ${id} is already used by ${previousId}`);
    else ids.set(id, path);
    const device =
      config.adapter === "sim"
        ? `simulated device ${config.device ?? id}`
        : config.adapter === "osdp"
          ? `OSDP bus ${config.path}`
          : `PC/SC reader ${config.readerName ?? "(the first one found)"}`;
    const previous = devices.get(device);
    if (previous !== undefined) problems.push(`${path}: ${device} is already used by ${previous}`);
    else devices.set(device, path);
  };
  claim(reader, reader.id ?? "reader-1", "/reader");
  for (const { index, door } of doors) {
    if (door.exitReader !== undefined)
      claim(door.exitReader, exitReaderId(door), `/doors/${index}/exitReader`);
  }
  return problems;
}

function invalid(problems: readonly string[]): HardwareError {
  return new HardwareError(
    "config-invalid",
    `invalid hardware configuration:\n  - ${problems.join("\n  - ")}`,
  );
}
