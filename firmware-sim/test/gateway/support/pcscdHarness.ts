import { accessSync, constants, readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { defaultPcscdSocket, isPcscdReachable } from "@passerelle/gateway";
import { type ManagedProcess, startManaged } from "./managedProcess.js";
import { acquirePcscdLock } from "./pcscdLock.js";

/** pcscd with the vsmartcard vpcd driver, ready for virtual cards. */
export interface PcscdService {
  readonly available: true;
  /** Where VpcdCard connects to put a card on reader slot "Virtual PCD 00 00". */
  readonly vpcdPort: number;
  /** False when a pcscd was already running: it is reused and never killed by the tests. */
  readonly ownProcess: boolean;
  /** Kills pcscd as a crash would (SIGKILL); only for an own process. */
  crash(): Promise<void>;
  /** Starts it again with the same readers and ports; only for an own process. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export type PcscdProvision = PcscdService | { readonly available: false; readonly reason: string };

const VPCD_DRIVERS = [
  "/usr/lib/pcsc/drivers/serial/libifdvpcd.so",
  "/usr/lib64/pcsc/drivers/serial/libifdvpcd.so",
  "/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so",
];

function findExecutable(name: string, extraDirs: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {}
  }
  return undefined;
}

function findVpcdDriver(): string | undefined {
  return VPCD_DRIVERS.find((path) => {
    try {
      accessSync(path, constants.R_OK);
      return true;
    } catch {
      return false;
    }
  });
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "0.0.0.0", () => server.close(() => resolve(true)));
  });
}

/** vpcd opens one TCP port per slot: the configured one and the next. */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    if ((await portIsFree(port)) && (await portIsFree(port + 1))) return port;
  }
  throw new Error("no two consecutive free TCP ports");
}

/** The vpcd port of a pcscd we did not start: from its --config directory, or the default one. */
async function vpcdPortOfRunningPcscd(): Promise<number | undefined> {
  let configDir = "/etc/reader.conf.d";
  try {
    // pcscd writes "<pid>\n\0".
    const pid = Number.parseInt(readFileSync("/run/pcscd/pcscd.pid", "utf8"), 10);
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const flag = args.findIndex((arg) => arg === "-c" || arg === "--config");
    if (flag >= 0 && args[flag + 1]) configDir = args[flag + 1] as string;
  } catch {}
  for (const file of await readdir(configDir).catch(() => [] as string[])) {
    const text = await readFile(join(configDir, file), "utf8").catch(() => "");
    if (!text.includes("libifdvpcd")) continue;
    const port = /DEVICENAME\s+\/dev\/null:(0x[0-9a-f]+|\d+)/i.exec(text)?.[1];
    if (port !== undefined) return Number(port);
  }
  return undefined;
}

function banner(reason: string, skipped: string): string {
  const rule = "=".repeat(78);
  return [
    rule,
    `PASSERELLE: pcscd + vpcd unavailable, ${skipped} SKIPPED`,
    reason,
    "Fix: sudo apt-get install pcscd vsmartcard-vpcd (and run the tests as root, or with",
    "a pcscd already running that loads the vpcd driver).",
    "(With CI=true this is an error, never a skip.)",
    rule,
  ].join("\n");
}

/** A missing service skips loudly on a laptop and fails in CI, as testkit's services do. */
export function unavailable(
  reason: string,
  skipped = "the pcsc integration tests are",
): { available: false; reason: string } {
  if (process.env.CI === "true" || process.env.CI === "1") {
    throw new Error(`${reason}. CI=${process.env.CI}: a missing service fails the run.`);
  }
  console.warn(banner(reason, skipped));
  return { available: false, reason };
}

/**
 * Reuses a running pcscd if there is one (pcscd's socket path is fixed, so two cannot run);
 * otherwise starts one in the foreground with a private reader.conf.d whose vpcd listens on
 * random ports.
 */
export async function providePcscd(): Promise<PcscdProvision> {
  const release = await acquirePcscdLock();
  try {
    const provision = await providePcscdUnlocked();
    if (!provision.available) {
      release();
      return provision;
    }
    return {
      ...provision,
      stop: async () => {
        try {
          await provision.stop();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

async function providePcscdUnlocked(): Promise<PcscdProvision> {
  const socket = defaultPcscdSocket();
  if (await isPcscdReachable(socket)) {
    const vpcdPort = await vpcdPortOfRunningPcscd();
    if (vpcdPort === undefined) {
      return unavailable("a pcscd is running, but without the vsmartcard vpcd driver");
    }
    const refuse = async () => {
      throw new Error("this pcscd was not started by the tests; it is not theirs to stop");
    };
    return {
      available: true,
      vpcdPort,
      ownProcess: false,
      crash: refuse,
      restart: refuse,
      stop: async () => {},
    };
  }
  const pcscd = findExecutable("pcscd", ["/usr/sbin", "/usr/local/sbin"]);
  if (pcscd === undefined) return unavailable("no pcscd executable (PATH, /usr/sbin)");
  const driver = findVpcdDriver();
  if (driver === undefined) return unavailable(`no vpcd driver (${VPCD_DRIVERS.join(", ")})`);
  if (process.getuid?.() !== 0) {
    return unavailable("no pcscd running, and starting one needs root (it creates /run/pcscd)");
  }

  const dir = await mkdtemp(join(tmpdir(), "passerelle-pcscd-"));
  const vpcdPort = await freePortPair();
  const hexPort = `0x${vpcdPort.toString(16)}`;
  // DEVICENAME /dev/null:<port> makes vpcd listen for a virtual card on <port> (and <port>+1).
  await writeFile(
    join(dir, "vpcd"),
    [
      'FRIENDLYNAME "Virtual PCD"',
      `DEVICENAME   /dev/null:${hexPort}`,
      `LIBPATH      ${driver}`,
      `CHANNELID    ${hexPort}`,
      "",
    ].join("\n"),
  );
  let daemon: ManagedProcess | undefined;
  const launch = async () => {
    const started = startManaged(pcscd, ["--foreground", "--config", dir]);
    daemon = started;
    const deadline = Date.now() + 15_000;
    while (!(await isPcscdReachable(socket, 200))) {
      if (started.hasExited()) throw new Error(`pcscd exited at start:\n${started.output()}`);
      if (Date.now() > deadline) {
        await started.stop("SIGKILL");
        throw new Error(`pcscd not ready after 15 s:\n${started.output()}`);
      }
      await sleep(50);
    }
  };
  await launch();
  return {
    available: true,
    vpcdPort,
    ownProcess: true,
    crash: async () => {
      await daemon?.stop("SIGKILL");
    },
    restart: async () => {
      await daemon?.stop("SIGKILL");
      await launch();
    },
    stop: async () => {
      await daemon?.stop("SIGTERM");
      await rm(dir, { recursive: true, force: true });
    },
  };
}
