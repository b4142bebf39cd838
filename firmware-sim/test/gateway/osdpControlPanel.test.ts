import { PassThrough } from "node:stream";
import { OsdpControlPanel, type OsdpReaderEvent } from "@passerelle/gateway";
import { OsdpColor, osdpReaderKey } from "@passerelle/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { OsdpPeripheral } from "../../src/osdp/osdpPeripheral.js";

const masterKey = Buffer.alloc(16, 0x21);

function bus(options: { installMode?: boolean; readerHasKey?: boolean } = {}) {
  const toReader = new PassThrough();
  const toPanel = new PassThrough();
  const clientUid = Buffer.from("1122334455667788", "hex");
  const reader = new OsdpPeripheral({
    address: 3,
    clientUid,
    input: toReader,
    output: toPanel,
    ...(options.readerHasKey ? { scbk: osdpReaderKey(masterKey, clientUid) } : {}),
  });
  const panel = new OsdpControlPanel({
    input: toPanel,
    output: toReader,
    readers: [{ id: "wall", address: 3 }],
    masterKey,
    installMode: options.installMode ?? false,
    replyTimeoutMs: 100,
    pollIntervalMs: 5,
  });
  const events: OsdpReaderEvent[] = [];
  panel.onEvent((event) => events.push(event));
  return { reader, panel, events, toReader, toPanel, clientUid };
}

async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let running: OsdpControlPanel | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe("OsdpControlPanel with a simulated reader", () => {
  it("gives a reader on the install key its own key in install mode, then runs the secure channel", async () => {
    const { reader, panel, events, clientUid } = bus({ installMode: true });
    running = panel;
    panel.start();
    await until(() => panel.state("wall") === "secure");
    expect(reader.readerKey).toEqual(osdpReaderKey(masterKey, clientUid));
    reader.presentCard(Buffer.from("04A1B2C3D4E5F6", "hex"));
    reader.typeKeys("1234#");
    await until(() => events.some((e) => e.kind === "keypad"));
    expect(events).toContainEqual({
      kind: "card",
      readerId: "wall",
      uid: Buffer.from("04A1B2C3D4E5F6", "hex"),
    });
    expect(events).toContainEqual({ kind: "keypad", readerId: "wall", keys: "1234#" });
    panel.signal("wall", "grant");
    await until(() => reader.led !== undefined);
    expect(reader.led?.color).toBe(OsdpColor.green);
  });

  it("refuses a reader still on the install key when install mode is off", async () => {
    const { panel } = bus({ installMode: false });
    running = panel;
    panel.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(panel.state("wall")).not.toBe("secure");
  });

  it("refuses a tampered MAC and a reader dropping out of secure mode, then recovers", async () => {
    const { reader, panel, events } = bus({ readerHasKey: true });
    running = panel;
    panel.start();
    await until(() => panel.state("wall") === "secure");
    reader.misbehaviour.tamperNextMac = true;
    reader.presentCard(Buffer.from("04000000000001", "hex"));
    await until(() => events.some((e) => e.kind === "state" && e.reason === "mac-mismatch"));
    await until(() => panel.state("wall") === "secure");
    reader.misbehaviour.dropSecureMode = true;
    reader.presentCard(Buffer.from("04000000000002", "hex"));
    await until(() => events.some((e) => e.kind === "state" && e.reason === "not-secure"));
    // The card answered in clear never reached the panel's listeners.
    expect(events.filter((e) => e.kind === "card")).toEqual([]);
    reader.misbehaviour.dropSecureMode = false;
    await until(() => panel.state("wall") === "secure");
    // Reads refused on the way are lost (the person taps again); the next one arrives.
    reader.presentCard(Buffer.from("04000000000003", "hex"));
    await until(() => events.some((e) => e.kind === "card"));
    expect(events.filter((e) => e.kind === "card")).toEqual([
      { kind: "card", readerId: "wall", uid: Buffer.from("04000000000003", "hex") },
    ]);
  });

  it("refuses a reply carrying another sequence number, then recovers", async () => {
    const { reader, panel, events } = bus({ readerHasKey: true });
    running = panel;
    panel.start();
    await until(() => panel.state("wall") === "secure");
    reader.misbehaviour.wrongSequence = true;
    reader.presentCard(Buffer.from("04000000000004", "hex"));
    await until(() => events.some((e) => e.kind === "state" && e.reason === "wrong-sequence"));
    expect(panel.state("wall")).not.toBe("secure");
    reader.misbehaviour.wrongSequence = false;
    await until(() => panel.state("wall") === "secure");
    expect(events.filter((e) => e.kind === "card")).toEqual([]);
  });

  it("refuses a reader answering as another address, and marks a silent reader offline", async () => {
    const { reader, panel, events, toReader } = bus({ readerHasKey: true });
    running = panel;
    reader.misbehaviour.answerAs = 4;
    panel.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(panel.state("wall")).not.toBe("secure");
    reader.misbehaviour.answerAs = undefined;
    await until(() => panel.state("wall") === "secure");
    reader.close();
    toReader.resume();
    await until(() => events.some((e) => e.kind === "state" && e.state === "offline"));
  });

  it("stays alive through garbage on the line and reports tamper", async () => {
    const { reader, panel, events, toPanel } = bus({ readerHasKey: true });
    running = panel;
    panel.start();
    await until(() => panel.state("wall") === "secure");
    toPanel.write(Buffer.alloc(3000, 0x53));
    reader.setTamper(true);
    await until(() => events.some((e) => e.kind === "tamper" && e.tamper));
    expect(panel.dropped.size).toBeGreaterThan(0);
  });
});
