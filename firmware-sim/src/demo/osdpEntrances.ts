import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { osdpReaderKey } from "@passerelle/protocol";
import type { SerialPort } from "serialport";
import type { SimulatedEntrance } from "../doors/simulatedEntrance.js";
import { OsdpPeripheral } from "../osdp/osdpPeripheral.js";

/**
 * The demo centres whose entrance reader is an OSDP wall reader (secure channel over a socat pty
 * pair) instead of the simulated one. One of the SMILE network and one of COFFEE: both are in
 * the first three centres `pickCentres` takes, so `npm start -- --centres 3` shows them.
 */
export const osdpDemoCentres: readonly string[] = ["saint-leger", "coffee-tournai"];

/** The reader's bus address (any 0–126; one reader a bus in the demo). */
const osdpAddress = 1;
const socatPaths = ["/usr/bin/socat", "/usr/local/bin/socat", "/bin/socat"];

export interface OsdpEntrance {
  /** The gateway's `reader` config for this entrance (the `osdp` adapter on the pty). */
  readonly readerConfig: Record<string, unknown>;
  stop(): Promise<void>;
}

export type OsdpEntranceResult =
  | { readonly ok: true; readonly entrance: OsdpEntrance }
  | { readonly ok: false; readonly reason: string };

function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const tick = () => {
      if (check()) resolve(true);
      else if (Date.now() > deadline) resolve(false);
      else setTimeout(tick, 50);
    };
    tick();
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * Puts an OSDP reader with keypad (firmware-sim's peripheral) at a centre's entrance: a socat pty
 * pair, the peripheral on one end, the gateway's `osdp` adapter on the other. Taps the people
 * simulation makes on the entrance's simulated reader are presented to the OSDP reader, which
 * hands them to the gateway on its next secure POLL. The reader already holds its own key
 * (diversified from a master key drawn at each start and written next to the gateway's config,
 * mode 0600), so install mode stays off as in service. Never throws: without socat, or if the pty does not come up, it
 * says why and the caller keeps the simulated reader.
 */
export async function startOsdpEntrance(
  centreId: string,
  entrance: SimulatedEntrance,
  directory: string,
  socatCandidates: readonly string[] = socatPaths,
): Promise<OsdpEntranceResult> {
  const socat = socatCandidates.find((path) => existsSync(path));
  if (socat === undefined) return { ok: false, reason: "socat is not installed" };
  // serialport is an optional dependency (a native module): loaded only when a door needs it.
  let SerialPortClass: typeof SerialPort;
  try {
    ({ SerialPort: SerialPortClass } = await import("serialport"));
  } catch {
    return { ok: false, reason: "the serialport module is not installed" };
  }
  let child: ChildProcess | undefined;
  let port: SerialPort | undefined;
  try {
    const dir = join(directory, "osdp", centreId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const gatewayEnd = join(dir, "gateway-tty");
    const readerEnd = join(dir, "reader-tty");
    child = spawn(
      socat,
      [`pty,raw,echo=0,link=${gatewayEnd}`, `pty,raw,echo=0,link=${readerEnd}`],
      { stdio: "ignore" },
    );
    child.on("error", () => {});
    const started = child;
    const up = await waitFor(
      () => (existsSync(gatewayEnd) && existsSync(readerEnd)) || started.exitCode !== null,
      5000,
    );
    if (!up || started.exitCode !== null) throw new Error("socat's pty pair did not come up");
    const masterKey = randomBytes(16);
    const masterKeyFile = join(dir, "osdp-master.key");
    writeFileSync(masterKeyFile, `${masterKey.toString("hex")}\n`, { mode: 0o600 });
    const serial = new SerialPortClass({ path: readerEnd, baudRate: 115_200, autoOpen: false });
    port = serial;
    await new Promise<void>((resolve, reject) =>
      serial.open((error) => (error ? reject(error) : resolve())),
    );
    serial.on("error", () => {});
    const input = new PassThrough();
    serial.on("data", (chunk: Buffer) => input.write(chunk));
    const clientUid = Buffer.from("5053494D00000000", "hex");
    const reader = new OsdpPeripheral({
      address: osdpAddress,
      clientUid,
      scbk: osdpReaderKey(masterKey, clientUid),
      input,
      output: serial,
    });
    const onBadge = (uid: Uint8Array) => reader.presentCard(uid);
    entrance.reader.on("badge", onBadge);
    const socatProcess = started;
    return {
      ok: true,
      entrance: {
        readerConfig: {
          adapter: "osdp",
          id: "reader-1",
          path: gatewayEnd,
          address: osdpAddress,
          masterKeyFile,
        },
        stop: async () => {
          entrance.reader.off("badge", onBadge);
          reader.close();
          if (serial.isOpen) await new Promise<void>((resolve) => serial.close(() => resolve()));
          await stopProcess(socatProcess);
        },
      },
    };
  } catch (error) {
    if (port?.isOpen) await new Promise<void>((resolve) => port?.close(() => resolve()));
    if (child) await stopProcess(child);
    return { ok: false, reason: (error as Error).message };
  }
}

/**
 * Starts the OSDP entrance of every demo centre in `osdpDemoCentres` among `centreIds`, registers
 * their stop with the launcher's shutdown (after the gateways), and returns the gateways'
 * reader configs by centre. A centre whose reader cannot start keeps its simulated reader.
 */
export async function startOsdpEntrances(
  centreIds: readonly string[],
  entrances: ReadonlyMap<string, SimulatedEntrance>,
  directory: string,
  shutdown: { add(order: number, name: string, stop: () => Promise<void>): void },
  say: (line: string) => void = console.log,
): Promise<Map<string, Record<string, unknown>>> {
  const configs = new Map<string, Record<string, unknown>>();
  for (const centreId of centreIds.filter((id) => osdpDemoCentres.includes(id))) {
    const entrance = entrances.get(centreId);
    if (entrance === undefined) continue;
    const started = await startOsdpEntrance(centreId, entrance, directory);
    if (!started.ok) {
      say(
        `${centreId}: no OSDP reader (${started.reason}); its entrance keeps the simulated reader.`,
      );
      continue;
    }
    configs.set(centreId, started.entrance.readerConfig);
    shutdown.add(3, `the OSDP reader of ${centreId}`, () => started.entrance.stop());
    say(`${centreId}: the entrance reader is an OSDP reader (secure channel over a socat pty).`);
  }
  return configs;
}
