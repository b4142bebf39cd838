import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { type BadgePresentation, OsdpBadgeReader, type ReaderStatus } from "@passerelle/gateway";
import { waitUntil } from "@passerelle/gateway/hardware-contracts";
import { OsdpColor, osdpReaderKey } from "@passerelle/protocol";
import { SerialPort } from "serialport";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { OsdpPeripheral } from "../../src/osdp/osdpPeripheral.js";
import { type ManagedProcess, startManaged } from "./support/managedProcess.js";
import { unavailableService } from "./support/unavailableService.js";

/**
 * The OSDP adapter through a real tty: socat joins two pseudo-terminals, the gateway's
 * OsdpBadgeReader (serialport, 115 200 baud) opens one end and firmware-sim's OSDP reader with
 * keypad the other, and they run the secure channel over it.
 */

const socat = ["/usr/bin/socat", "/usr/local/bin/socat"].find((path) => existsSync(path));
if (socat === undefined) {
  unavailableService("socat", "no socat executable (/usr/bin/socat)", "apt-get install socat");
}

const masterKey = Buffer.alloc(16, 0x5c);
const clientUid = Buffer.from("0102030405060708", "hex");

describe.skipIf(socat === undefined)("OSDP reader through socat ptys", () => {
  let dir: string;
  let socatProcess: ManagedProcess | undefined;
  let readerPort: SerialPort | undefined;
  let gatewayReader: OsdpBadgeReader | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "passerelle-osdp-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await gatewayReader?.stop();
    if (readerPort?.isOpen)
      await new Promise<void>((resolve) => readerPort?.close(() => resolve()));
    await socatProcess?.stop("SIGTERM");
  });

  async function wire(options: { installMode: boolean; readerKey?: Buffer }) {
    const gatewayEnd = join(dir, `gw-${Date.now()}`);
    const readerEnd = join(dir, `rd-${Date.now()}`);
    const proc = startManaged(socat as string, [
      "-d",
      "-d",
      `pty,raw,echo=0,link=${gatewayEnd}`,
      `pty,raw,echo=0,link=${readerEnd}`,
    ]);
    socatProcess = proc;
    await waitUntil(
      () => proc.hasExited() || (existsSync(gatewayEnd) && existsSync(readerEnd)),
      "socat's pty links",
    );
    const port = new SerialPort({ path: readerEnd, baudRate: 115_200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on("error", () => {});
    readerPort = port;
    const input = new PassThrough();
    port.on("data", (chunk: Buffer) => input.write(chunk));
    const peripheral = new OsdpPeripheral({
      address: 7,
      clientUid,
      input,
      output: port,
      ...(options.readerKey ? { scbk: options.readerKey } : {}),
    });
    const reader = new OsdpBadgeReader({
      id: "wall",
      path: gatewayEnd,
      address: 7,
      masterKey,
      installMode: options.installMode,
      pollIntervalMs: 20,
      replyTimeoutMs: 150,
    });
    gatewayReader = reader;
    const badges: BadgePresentation[] = [];
    const statuses: ReaderStatus[] = [];
    reader.onBadge((badge) => badges.push(badge));
    reader.onStatus((status) => statuses.push(status));
    await reader.start();
    return { peripheral, reader, badges, statuses };
  }

  it("runs the secure channel: a badge with its PIN arrives, and the LED turns green on grant", async () => {
    const { peripheral, reader, badges } = await wire({ installMode: true });
    await waitUntil(() => reader.status().state === "connected", "the secure channel");
    expect(peripheral.readerKey).toEqual(osdpReaderKey(masterKey, clientUid));
    peripheral.typeKeys("2468");
    peripheral.presentCard(Buffer.from("04112233445566", "hex"));
    await waitUntil(() => badges.length === 1, "the badge");
    expect(Buffer.from(badges[0]?.uid ?? [])).toEqual(Buffer.from("04112233445566", "hex"));
    expect(badges[0]?.pin).toBe("2468");
    reader.signal("grant");
    await waitUntil(() => peripheral.led !== undefined, "the LED command");
    expect(peripheral.led?.color).toBe(OsdpColor.green);
  });

  it("refuses a tampered MAC (status error, no badge) and comes back secure", async () => {
    const { peripheral, reader, badges, statuses } = await wire({
      installMode: false,
      readerKey: osdpReaderKey(masterKey, clientUid),
    });
    await waitUntil(() => reader.status().state === "connected", "the secure channel");
    peripheral.misbehaviour.tamperNextMac = true;
    peripheral.presentCard(Buffer.from("04000000000009", "hex"));
    await waitUntil(
      () => statuses.some((s) => s.state === "error" && s.error?.includes("mac-mismatch") === true),
      "the refusal",
    );
    await waitUntil(() => reader.status().state === "connected", "the channel again");
    expect(badges).toEqual([]);
  });
});
