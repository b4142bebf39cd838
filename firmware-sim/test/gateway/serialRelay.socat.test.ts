import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SerialRelayLock, SerialRelayPort } from "@passerelle/gateway";
import { describeLockOutputContract, waitUntil } from "@passerelle/gateway/hardware-contracts";
import { SerialPort } from "serialport";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LcusRelayBoard } from "../../src/relay/lcusRelayBoard.js";
import { type ManagedProcess, startManaged } from "./support/managedProcess.js";
import { unavailableService } from "./support/unavailableService.js";

/**
 * The serial-relay adapter through a real tty: socat joins two pseudo-terminals, the adapter
 * (serialport) opens one end and firmware-sim's LCUS board simulator reads the other.
 */

function findSocat(): string | undefined {
  return ["/usr/bin/socat", "/usr/local/bin/socat", "/bin/socat"].find((path) => existsSync(path));
}

const socat = findSocat();
if (socat === undefined) {
  unavailableService("socat", "no socat executable (/usr/bin/socat)", "apt-get install socat");
}

/** A socat pty pair with a simulated LCUS board on the far end. */
class PtyPair {
  private process: ManagedProcess | undefined;
  private boardPort: SerialPort | undefined;
  readonly board = new LcusRelayBoard({ channels: 4 });

  constructor(readonly dir: string) {}

  get gatewayEnd(): string {
    return join(this.dir, "gateway-tty");
  }

  private get boardEnd(): string {
    return join(this.dir, "board-tty");
  }

  async start(): Promise<void> {
    const proc = startManaged(socat as string, [
      "-d",
      "-d",
      `pty,raw,echo=0,link=${this.gatewayEnd}`,
      `pty,raw,echo=0,link=${this.boardEnd}`,
    ]);
    this.process = proc;
    await waitUntil(
      () => proc.hasExited() || (existsSync(this.gatewayEnd) && existsSync(this.boardEnd)),
      "socat's pty links",
    );
    if (proc.hasExited()) throw new Error(`socat exited:\n${proc.output()}`);
    const port = new SerialPort({ path: this.boardEnd, baudRate: 9600, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((error) => (error ? reject(error) : resolve())),
    );
    port.on("error", () => {});
    this.board.attach(port);
    this.boardPort = port;
  }

  /**
   * Unplugs the "USB cable": both ends disappear. socat goes first, so the board's end is hung
   * up under it (as a real unplug does) and its close cannot wait on a live peer; the close is
   * bounded because it is the simulator's teardown, not the adapter under test (a CI run once
   * saw it never call back on a loaded machine, holding the hook for 60 s).
   */
  async stop(): Promise<void> {
    const port = this.boardPort;
    this.boardPort = undefined;
    await this.process?.stop("SIGTERM");
    if (!port?.isOpen) return;
    const closed = await Promise.race([
      new Promise<boolean>((resolve) => port.close(() => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000).unref()),
    ]);
    if (!closed) console.warn("socat test: the board end's close did not call back within 5 s");
  }

  channelCommands(channel: number): boolean[] {
    return this.board.history.filter((c) => c.channel === channel).map((c) => c.on);
  }
}

describe.skipIf(socat === undefined)("serial relay through socat ptys", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "passerelle-socat-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  describe("contract", () => {
    let pair: PtyPair;
    afterEach(() => pair.stop());

    describeLockOutputContract("serial-relay (socat + LCUS simulator)", async () => {
      pair = new PtyPair(dir);
      await pair.start();
      const port = new SerialRelayPort({
        path: pair.gatewayEnd,
        reconnectMinMs: 100,
        reconnectMaxMs: 500,
      });
      return {
        lock: new SerialRelayLock("door-1:lock", port, 2),
        received: () => pair.channelCommands(2),
        dispose: async () => {},
      };
    });
  });

  describe("on the wire", () => {
    let pair: PtyPair;
    let port: SerialRelayPort;
    afterEach(async () => {
      await pair.stop();
    });

    it("pulses two doors' relays, each on its own channel, in order", async () => {
      pair = new PtyPair(dir);
      await pair.start();
      port = new SerialRelayPort({ path: pair.gatewayEnd });
      const front = new SerialRelayLock("front:lock", port, 1);
      const back = new SerialRelayLock("back:lock", port, 4);
      await front.start();
      await back.start();
      await front.set(true);
      await back.set(true);
      await front.set(false);
      await back.set(false);
      await waitUntil(() => pair.board.history.length >= 4, "four relay commands");
      expect(pair.board.history.map(({ channel, on }) => [channel, on])).toEqual([
        [1, true],
        [4, true],
        [1, false],
        [4, false],
      ]);
      expect(pair.board.rejectedFrames).toBe(0);
      await front.stop();
      await back.stop();
    });

    it("re-sends the wanted state after the board is unplugged and plugged back", async () => {
      pair = new PtyPair(dir);
      await pair.start();
      port = new SerialRelayPort({
        path: pair.gatewayEnd,
        reconnectMinMs: 100,
        reconnectMaxMs: 300,
      });
      const lock = new SerialRelayLock("door-1:lock", port, 1);
      await lock.start();
      await lock.set(true);
      await waitUntil(() => pair.board.isOn(1), "relay 1 on");
      await pair.stop();
      await waitUntil(() => !port.isOpen(), "the adapter to notice the unplug");
      // Locked while unplugged: the command cannot go out now, but it is what the door wants.
      await expect(lock.set(false)).rejects.toMatchObject({ code: "device-unavailable" });
      pair = new PtyPair(dir);
      pair.board.receive(Uint8Array.of(0xa0, 0x01, 0x01, 0xa2)); // a board that kept relay 1 on
      await pair.start();
      await waitUntil(() => port.isOpen(), "the adapter to reopen", 10_000);
      await waitUntil(() => pair.channelCommands(1).length >= 2, "the re-sent state");
      expect(pair.board.isOn(1)).toBe(false);
      await lock.stop();
    });
  });
});
