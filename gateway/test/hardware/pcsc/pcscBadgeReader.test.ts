import { afterEach, describe, expect, it, vi } from "vitest";
import { PcscBadgeReader } from "../../../src/hardware/pcsc/pcscBadgeReader.js";
import {
  type BadgePresentation,
  HardwareError,
  type ReaderStatus,
} from "../../../src/hardware/ports.js";
import { describeBadgeReaderContract } from "../contracts/badgeReaderContract.js";
import { type FakeContext, type FakeReader, fakeNfcPcsc } from "./fakeNfcPcsc.js";

/** Unit tests against a fake nfc-pcsc; the real chain (pcscd + vpcd) is in ../pcscBadgeReader.test.ts. */

function setUp(options: { reachable?: boolean; readerName?: string } = {}) {
  const fake = fakeNfcPcsc();
  const probe = { reachable: options.reachable ?? true, calls: 0 };
  const reader = new PcscBadgeReader({
    id: "entrance",
    ...(options.readerName ? { readerName: options.readerName } : {}),
    pcscdSocket: "/run/test/pcscd.comm",
    reconnectMinMs: 1000,
    reconnectMaxMs: 8000,
    clock: () => 1_700_000_000_000,
    loadModule: async () => fake.module,
    probe: async () => {
      probe.calls += 1;
      return probe.reachable;
    },
  });
  const badges: BadgePresentation[] = [];
  const statuses: ReaderStatus[] = [];
  reader.onBadge((badge) => badges.push(badge));
  reader.onStatus((status) => statuses.push(status));
  const context = (): FakeContext => {
    const last = fake.contexts.at(-1);
    if (last === undefined) throw new Error("no PC/SC context was made");
    return last;
  };
  return { reader, badges, statuses, probe, contexts: fake.contexts, context };
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("PcscBadgeReader (fake nfc-pcsc)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reads 4-, 7- and 10-byte UIDs once each, as plain bytes with the adapter's id", async () => {
    const { reader, badges, context } = setUp();
    await reader.start();
    const slot = context().plug("ACS ACR122U PICC Interface 00 00");
    expect(slot.autoProcessing).toBe(false);
    const uids = [
      Uint8Array.of(0xde, 0xad, 0xbe, 0xef),
      Uint8Array.of(0x04, 1, 2, 3, 4, 5, 6),
      Uint8Array.of(0x08, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    ];
    for (const uid of uids) {
      await slot.insert({ uid });
      await flush();
      slot.removeCard();
    }
    expect(badges.map((b) => hex(b.uid))).toEqual(uids.map(hex));
    expect(badges[0]).toMatchObject({ readerId: "entrance", at: 1_700_000_000_000 });
    expect(Buffer.isBuffer(badges[0]?.uid)).toBe(false);
    await reader.stop();
  });

  it("does not read a card again while it stays on the reader", async () => {
    const { reader, badges, context } = setUp();
    await reader.start();
    const slot = context().plug("Reader");
    await slot.insert({ uid: Uint8Array.of(1, 2, 3, 4) });
    await flush();
    slot.repeatCardEvent();
    await flush();
    expect(badges).toHaveLength(1);
    expect(slot.transmits).toBe(1);
    slot.removeCard();
    await slot.insert({ uid: Uint8Array.of(1, 2, 3, 4) });
    await flush();
    expect(badges).toHaveLength(2);
    await reader.stop();
  });

  it("reports an unreadable card as an error status, without a badge or its bytes", async () => {
    const { reader, badges, statuses, context } = setUp();
    await reader.start();
    const slot = context().plug("Reader");
    await slot.insert({ response: Buffer.from([0x6a, 0x81]) });
    await flush();
    expect(badges).toEqual([]);
    expect(reader.status()).toMatchObject({ state: "error", error: expect.stringMatching(/6a81/) });
    slot.removeCard();
    expect(reader.status().state).toBe("connected");
    await slot.insert({ response: Buffer.from([1, 2, 3, 4, 5, 0x90, 0x00]) });
    await flush();
    expect(badges).toEqual([]);
    expect(reader.status().error).toMatch(/UID of 5 bytes/);
    expect(JSON.stringify(statuses)).not.toMatch(/0102030405/);
    await reader.stop();
  });

  it("turns a failed transmit or card connect into a status, not a crash", async () => {
    const { reader, badges, context } = setUp();
    await reader.start();
    const slot = context().plug("Reader");
    await slot.insert({ fail: new Error("SCardTransmit error: Transaction failed") });
    await flush();
    expect(reader.status()).toMatchObject({
      state: "error",
      error: expect.stringMatching(/Transaction failed/),
    });
    slot.removeCard();
    slot.connectFailure = new Error("SCardConnect error: Card is unpowered");
    await slot.insert({ uid: Uint8Array.of(1, 2, 3, 4) });
    await flush();
    expect(reader.status().error).toMatch(/card connect failed.*unpowered/);
    expect(badges).toEqual([]);
    await reader.stop();
  });

  it("follows readers as they are plugged in and out", async () => {
    const { reader, statuses, context } = setUp();
    await reader.start();
    expect(reader.status().state).toBe("disconnected");
    const first = context().plug("Reader A");
    const second = context().plug("Reader B");
    expect(reader.status().state).toBe("connected");
    first.unplug();
    expect(reader.status().state).toBe("connected");
    second.unplug();
    expect(reader.status().state).toBe("disconnected");
    expect(statuses.map((s) => s.state)).toEqual(["connected", "disconnected"]);
    await reader.stop();
  });

  it("uses only readers whose name matches, and closes the others", async () => {
    const { reader, badges, context } = setUp({ readerName: "acr122" });
    await reader.start();
    const other = context().plug("Virtual PCD 00 00");
    expect(other.closed).toBe(true);
    expect(reader.status().state).toBe("disconnected");
    const wanted = context().plug("ACS ACR122U PICC Interface");
    expect(reader.status().state).toBe("connected");
    await wanted.insert({ uid: Uint8Array.of(9, 9, 9, 9) });
    await flush();
    expect(badges).toHaveLength(1);
    await reader.stop();
  });

  it("shows a reader error in its status", async () => {
    const { reader, context } = setUp();
    await reader.start();
    const slot = context().plug("Reader");
    slot.emit("error", new Error("SCardGetStatusChange error: unknown"));
    expect(reader.status()).toMatchObject({
      state: "error",
      error: expect.stringMatching(/Reader: SCard/),
    });
    await reader.stop();
  });

  it("waits for pcscd without creating a context, then connects (the constructor would block)", async () => {
    vi.useFakeTimers();
    const { reader, probe, contexts } = setUp({ reachable: false });
    await reader.start();
    expect(contexts).toHaveLength(0);
    expect(reader.status()).toMatchObject({
      state: "error",
      error: expect.stringMatching(/not reachable at \/run\/test\/pcscd\.comm/),
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(probe.calls).toBe(2);
    probe.reachable = true;
    await vi.advanceTimersByTimeAsync(8000);
    expect(contexts).toHaveLength(1);
    expect(reader.status().state).toBe("disconnected");
    await reader.stop();
  });

  it("rebuilds its context after pcscd dies and reads again", async () => {
    vi.useFakeTimers();
    const { reader, badges, statuses, context, contexts } = setUp();
    await reader.start();
    const before = context();
    const slot = before.plug("Reader");
    before.die();
    expect(before.closed).toBe(true);
    expect(slot.closed).toBe(true);
    expect(reader.status()).toMatchObject({
      state: "error",
      error: expect.stringMatching(/service lost/),
    });
    slot.unplug(); // late events from the dead context change nothing
    expect(reader.status().state).toBe("error");
    await vi.advanceTimersByTimeAsync(8000);
    expect(contexts).toHaveLength(2);
    const again = context().plug("Reader");
    await again.insert({ uid: Uint8Array.of(5, 5, 5, 5) });
    expect(badges.map((b) => hex(b.uid))).toEqual(["05050505"]);
    expect(statuses.map((s) => s.state)).toEqual([
      "connected",
      "error",
      "disconnected",
      "connected",
    ]);
    await reader.stop();
  });

  it("keeps other listeners going when one throws", async () => {
    const { reader, badges, context } = setUp();
    reader.onBadge(() => {
      throw new Error("listener bug");
    });
    await reader.start();
    const slot = context().plug("Reader");
    await slot.insert({ uid: Uint8Array.of(1, 1, 1, 1) });
    await flush();
    expect(badges).toHaveLength(1);
    await reader.stop();
  });

  it("fails start with module-missing when nfc-pcsc cannot be loaded", async () => {
    const reader = new PcscBadgeReader({
      id: "r",
      loadModule: async () => {
        throw new HardwareError("module-missing", "nfc-pcsc is not installed");
      },
    });
    await expect(reader.start()).rejects.toMatchObject({ code: "module-missing" });
    expect(reader.status().state).toBe("disconnected");
  });
});

describeBadgeReaderContract("pcsc (fake nfc-pcsc)", async () => {
  const fake = fakeNfcPcsc("Fake Reader");
  const reader = new PcscBadgeReader({
    id: "contract",
    loadModule: async () => fake.module,
    probe: async () => true,
  });
  const slot = (): FakeReader => {
    const found = fake.contexts.at(-1)?.readers.at(-1);
    if (found === undefined) throw new Error("no reader plugged");
    return found;
  };
  return {
    reader,
    present: (uid) => slot().insert({ uid }),
    remove: async () => slot().removeCard(),
    dispose: async () => {},
  };
});
