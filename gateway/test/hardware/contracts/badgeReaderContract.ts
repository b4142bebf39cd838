import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BadgePresentation, BadgeReader, ReaderStatus } from "../../../src/hardware/ports.js";
import { waitUntil } from "../support/waitUntil.js";

/** A BadgeReader adapter wired to something that can put cards on it. */
export interface BadgeReaderHarness {
  reader: BadgeReader;
  /** Puts a card on the reader and leaves it there. */
  present(uid: Uint8Array): Promise<void>;
  /** Takes the card away. */
  remove(): Promise<void>;
  dispose(): Promise<void>;
}

export interface BadgeReaderContractOptions {
  /** How long a real stack may take to see a card. */
  timeoutMs?: number;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/**
 * The behaviour every BadgeReader adapter owes the access engine (CONVENTIONS: one shared
 * contract test per port). Each adapter's test file calls this with its own harness.
 */
export function describeBadgeReaderContract(
  adapterName: string,
  makeHarness: () => Promise<BadgeReaderHarness>,
  options: BadgeReaderContractOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 5000;

  describe(`BadgeReader contract: ${adapterName}`, () => {
    let harness: BadgeReaderHarness;
    let badges: BadgePresentation[];
    let statuses: ReaderStatus[];

    beforeEach(async () => {
      harness = await makeHarness();
      badges = [];
      statuses = [];
      harness.reader.onBadge((badge) => badges.push(badge));
      harness.reader.onStatus((status) => statuses.push(status));
    });

    afterEach(async () => {
      await harness.reader.stop();
      await harness.dispose();
    });

    const startConnected = async () => {
      await harness.reader.start();
      await waitUntil(
        () => harness.reader.status().state === "connected",
        `${adapterName} to report connected`,
        timeoutMs,
      );
    };

    it("is not connected before start, and says so with its own id", () => {
      expect(harness.reader.status()).toMatchObject({
        readerId: harness.reader.id,
        state: expect.not.stringMatching(/^connected$/),
      });
    });

    it("reports connected after start, through onStatus too", async () => {
      await startConnected();
      expect(statuses.at(-1)).toMatchObject({ readerId: harness.reader.id, state: "connected" });
    });

    it("emits one badge per presentation with the exact UID; a card left on does not repeat", async () => {
      await startConnected();
      const first = Uint8Array.of(0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66);
      const second = Uint8Array.of(0x0a, 0x0b, 0x0c, 0x0d);
      await harness.present(first);
      await waitUntil(() => badges.length >= 1, "the first badge", timeoutMs);
      await harness.remove();
      await harness.present(second);
      await waitUntil(() => badges.length >= 2, "the second badge", timeoutMs);
      await harness.remove();
      // Had the first card been read again while it stayed on the reader, it would sit between.
      expect(badges.map((b) => hex(b.uid))).toEqual([hex(first), hex(second)]);
      expect(badges.every((b) => b.readerId === harness.reader.id)).toBe(true);
      expect(badges.every((b) => Number.isFinite(b.at) && b.at > 0)).toBe(true);
    });

    it("reads the same card again after it was taken away", async () => {
      await startConnected();
      const uid = Uint8Array.of(1, 2, 3, 4);
      await harness.present(uid);
      await waitUntil(() => badges.length >= 1, "a badge", timeoutMs);
      await harness.remove();
      await harness.present(uid);
      await waitUntil(() => badges.length >= 2, "the badge again", timeoutMs);
      await harness.remove();
      expect(badges.map((b) => hex(b.uid))).toEqual(["01020304", "01020304"]);
    });

    it("stops calling a listener once it unsubscribed", async () => {
      const unsubscribed: BadgePresentation[] = [];
      const unsubscribe = harness.reader.onBadge((badge) => unsubscribed.push(badge));
      unsubscribe();
      await startConnected();
      await harness.present(Uint8Array.of(9, 8, 7, 6));
      await waitUntil(() => badges.length >= 1, "a badge", timeoutMs);
      await harness.remove();
      expect(unsubscribed).toEqual([]);
    });

    it("hears nothing while stopped and works again after a restart", async () => {
      await startConnected();
      await harness.reader.stop();
      expect(harness.reader.status().state).not.toBe("connected");
      await harness.present(Uint8Array.of(0xee, 0xee, 0xee, 0xee));
      await harness.remove();
      await startConnected();
      await harness.present(Uint8Array.of(0x12, 0x34, 0x56, 0x78));
      await waitUntil(() => badges.length >= 1, "a badge after restart", timeoutMs);
      await harness.remove();
      // A badge heard while stopped would have arrived first.
      expect(badges.map((b) => hex(b.uid))).toEqual(["12345678"]);
    });
  });
}
