import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { waitUntil } from "@passerelle/gateway/hardware-contracts";
import { credentialHash, generateCredentialSalt, OsdpColor, pinHash } from "@passerelle/protocol";
import type { MosquittoService } from "@passerelle/testkit";
import { SerialPort } from "serialport";
import { afterAll, describe, expect, it } from "vitest";
import {
  DeviceHub,
  type RunningDeviceServer,
  type SimulatedLock,
  startDeviceServer,
} from "../../src/index.js";
import { OsdpPeripheral } from "../../src/osdp/osdpPeripheral.js";
import {
  bundleFor,
  cloudUser,
  GatewayProcess,
  gatewayId,
  startBroker,
} from "../gateway/integration/gatewayHarness.js";
import { FakeCloud } from "../gateway/support/fakeCloud.js";
import { type ManagedProcess, startManaged } from "../gateway/support/managedProcess.js";
import { unavailableService } from "../gateway/support/unavailableService.js";

/*
 * Issue 17's second "done when": through a real pty (socat), the gateway process (main.ts, real
 * Mosquitto, a harness playing the cloud) and firmware-sim's OSDP reader with keypad run the
 * secure channel; at a card + PIN door, a badge with the PIN typed before it reaches the
 * decision and opens, the reader's LED turns green; a wrong PIN or no PIN is refused with its
 * reason and a red LED, the door locked; a reply with a tampered MAC is refused (reader error,
 * no badge).
 */
const socat = ["/usr/bin/socat", "/usr/local/bin/socat", "/bin/socat"].find((p) => existsSync(p));
if (socat === undefined) {
  unavailableService("socat", "no socat executable (/usr/bin/socat)", "apt-get install socat");
}

describe.skipIf(socat === undefined)("an OSDP reader at a gateway door (e2e)", () => {
  const directory = mkdtempSync(join(tmpdir(), "e2e-osdp-"));
  let broker: MosquittoService | undefined;
  let devices: RunningDeviceServer | undefined;
  let cloud: FakeCloud | undefined;
  let gateway: GatewayProcess | undefined;
  let pty: ManagedProcess | undefined;
  let readerPort: SerialPort | undefined;

  afterAll(async () => {
    await gateway?.kill("SIGTERM");
    if (readerPort?.isOpen)
      await new Promise<void>((resolve) => readerPort?.close(() => resolve()));
    await pty?.stop("SIGTERM");
    await cloud?.close();
    await devices?.close();
    await broker?.stop();
  });

  it("runs the secure channel, grants card + PIN with a green LED, refuses a wrong PIN, a tampered MAC and bad input on the line", {
    timeout: 120_000,
  }, async () => {
    const gatewayEnd = join(directory, "gateway-tty");
    const readerEnd = join(directory, "reader-tty");
    const proc = startManaged(socat as string, [
      "-d",
      "-d",
      `pty,raw,echo=0,link=${gatewayEnd}`,
      `pty,raw,echo=0,link=${readerEnd}`,
    ]);
    pty = proc;
    await waitUntil(() => existsSync(gatewayEnd) && existsSync(readerEnd), "socat's ptys", 10_000);
    const port = new SerialPort({ path: readerEnd, baudRate: 115_200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    port.on("error", () => {});
    readerPort = port;
    const input = new PassThrough();
    port.on("data", (chunk: Buffer) => input.write(chunk));
    const reader = new OsdpPeripheral({ address: 5, input, output: port });

    const masterKeyFile = join(directory, "osdp-master.key");
    writeFileSync(masterKeyFile, "00112233445566778899aabbccddeeff\n", { mode: 0o600 });
    const uidHex = "04A1B2C3D4E5F6";
    const salt = generateCredentialSalt();
    broker = await startBroker(directory);
    const hub = new DeviceHub();
    hub.addDoor("door-1");
    devices = await startDeviceServer(hub, { port: 0 });
    cloud = new FakeCloud();
    await cloud.connect(broker.url, cloudUser);
    // door-1 is a card + PIN door; the card's PIN is 1234.
    const bundle = bundleFor(salt, [uidHex], Date.now());
    bundle.doors = bundle.doors.map((door) => ({ ...door, pinRequired: true }));
    const hash = credentialHash(uidHex, salt);
    bundle.credentials = bundle.credentials.map((c) => ({
      ...c,
      pinHash: pinHash("1234", hash, salt),
    }));
    await cloud.publishBundle(gatewayId, bundle);
    gateway = new GatewayProcess(broker.url, cloud, {
      reader: { adapter: "osdp", path: gatewayEnd, address: 5, masterKeyFile, installMode: true },
      doors: [
        {
          id: "door-1",
          contact: { adapter: "sim" },
          exitButton: { adapter: "sim" },
          lock: { adapter: "sim" },
        },
      ],
      simEndpoint: devices.endpoint,
    });
    gateway.start();
    const online = () => {
      const status = cloud?.statuses.get(gatewayId);
      return (
        status?.state === "online" &&
        status.bundleVersion !== null &&
        status.readers[0]?.state === "connected"
      );
    };
    await cloud
      .until(online, "gateway online with its OSDP reader secure", 40_000)
      .catch((error: Error) => {
        throw new Error(`${error.message}; gateway log:\n${gateway?.log().slice(-3000)}`);
      });
    // The reader arrived on the install key: the gateway gave it its own.
    expect(reader.readerKey).toBeDefined();

    const lock = hub.get("door-1:lock") as SimulatedLock;
    const before = lock.unlockCount();
    const accesses = () => (cloud?.events(gatewayId) ?? []).filter((e) => e.type === "access");
    reader.typeKeys("1234");
    reader.presentCard(Buffer.from(uidHex, "hex"));
    await cloud.until(() => accesses().length === 1, "the access event", 20_000);
    expect(accesses()[0]).toMatchObject({ decision: "granted", reason: "staff", door: "door-1" });
    expect(lock.unlockCount()).toBe(before + 1);
    await waitUntil(() => reader.led?.color === OsdpColor.green, "the green LED", 10_000);

    reader.typeKeys("9999");
    reader.presentCard(Buffer.from(uidHex, "hex"));
    await cloud.until(() => accesses().length === 2, "the wrong-PIN event", 20_000);
    expect(accesses()[1]).toMatchObject({ decision: "denied", reason: "credential.pin-wrong" });
    await waitUntil(() => reader.led?.color === OsdpColor.red, "the red LED", 10_000);
    reader.presentCard(Buffer.from(uidHex, "hex"));
    await cloud.until(() => accesses().length === 3, "the no-PIN event", 20_000);
    expect(accesses()[2]).toMatchObject({ decision: "denied", reason: "credential.pin-missing" });
    expect(lock.unlockCount()).toBe(before + 1);

    reader.misbehaviour.tamperNextMac = true;
    reader.presentCard(Buffer.from("04000000000001", "hex"));
    await cloud.until(
      () =>
        (cloud?.events(gatewayId) ?? []).some(
          (e) => e.type === "reader.error" && /mac-mismatch/.test(e.detail ?? ""),
        ),
      "the reader error for the tampered MAC",
      20_000,
    );
    await cloud.until(online, "the secure channel back", 20_000);
    expect(accesses()).toHaveLength(3);

    // Bad input on the line (issue 17 "Bad input"): a reply with another sequence number, from
    // another address, in clear, and a flood of garbage. Each is refused with its reason as a
    // reader error; a card the reader read meanwhile reaches the gateway only later, in a
    // verified reply (here an unknown card, denied); the door stays locked, the gateway runs.
    const readerEvents = () =>
      (cloud?.events(gatewayId) ?? []).filter((e) => e.type.startsWith("reader."));
    const channelBack = () => readerEvents().at(-1)?.type === "reader.connected";
    const misbehave = async (reason: string, set: (on: boolean) => void) => {
      await cloud?.until(channelBack, `the secure channel back before ${reason}`, 20_000);
      const before = readerEvents().length;
      set(true);
      reader.presentCard(Buffer.from("04000000000002", "hex"));
      await cloud?.until(
        () =>
          readerEvents()
            .slice(before)
            .some((e) => e.type === "reader.error" && (e.detail ?? "").includes(reason)),
        `a reader error ${reason}`,
        20_000,
      );
      set(false);
    };
    const accessCount = accesses().length;
    await misbehave("wrong-sequence", (on) => {
      reader.misbehaviour.wrongSequence = on;
    });
    await misbehave("wrong-address", (on) => {
      reader.misbehaviour.answerAs = on ? 6 : undefined;
    });
    await misbehave("not-secure", (on) => {
      reader.misbehaviour.dropSecureMode = on;
    });
    await cloud.until(channelBack, "the secure channel back", 20_000);
    for (let i = 0; i < 20; i += 1) port.write(Buffer.alloc(512, 0x53 + (i % 7)));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const event of accesses().slice(accessCount)) {
      expect(event).toMatchObject({ decision: "denied", reason: "unknown-badge" });
    }
    // Nothing of that opened the door: its only unlock is the first grant's, now ended.
    await waitUntil(() => lock.unlocked === false, "the first grant's pulse ended", 10_000);
    expect(lock.unlockCount()).toBe(before + 1);
    // Still the same process, the secure channel back, still deciding: card + PIN opens again.
    reader.typeKeys("1234");
    reader.presentCard(Buffer.from(uidHex, "hex"));
    await cloud.until(
      () => accesses().filter((e) => e.decision === "granted").length === 2,
      "the next grant",
      20_000,
    );
    // The relay command travels to the simulated lock over the device server's socket.
    await waitUntil(() => lock.unlockCount() === before + 2, "the second unlock", 10_000);
    expect(gateway.log()).not.toMatch(new RegExp(uidHex, "i"));
  });
});
