import {
  type BadgePresentation,
  importNfcPcsc,
  PcscBadgeReader,
  type ReaderStatus,
} from "@passerelle/gateway";
import { describeBadgeReaderContract, waitUntil } from "@passerelle/gateway/hardware-contracts";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { VpcdCard } from "../../src/nfc/vpcdCard.js";
import { providePcscd, unavailable } from "./support/pcscdHarness.js";
import { waitForEmptySlot } from "./support/vpcdSlotWatcher.js";

/**
 * The pcsc adapter through the real PC/SC stack: nfc-pcsc -> libpcsclite -> pcscd -> the
 * vsmartcard vpcd driver -> firmware-sim's VpcdCard over TCP. Cards are "presented" by
 * connecting to vpcd and "removed" by closing the connection.
 */

const nfcPcscLoads = await importNfcPcsc().then(
  () => true,
  (error: Error) => unavailable(error.message).available,
);
const pcscd = nfcPcscLoads
  ? await providePcscd()
  : { available: false as const, reason: "no nfc-pcsc" };
const vpcdPort = pcscd.available ? pcscd.vpcdPort : 0;
/** pcscd polls vpcd slots every 400 ms; a whole read takes about a second. */
const TIMEOUT = 10_000;
const SLOT = "Virtual PCD 00 00";

/** Takes the card away and waits until pcscd saw it go. */
async function removeCard(card: VpcdCard | undefined): Promise<void> {
  if (card === undefined || !card.isPresent()) return;
  await card.remove();
  await waitForEmptySlot(SLOT, TIMEOUT);
}

function newReader(): PcscBadgeReader {
  return new PcscBadgeReader({
    id: "vpcd-reader",
    readerName: SLOT,
    reconnectMinMs: 200,
    reconnectMaxMs: 1000,
  });
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe.skipIf(!pcscd.available)("pcsc adapter through pcscd and vpcd", () => {
  afterAll(async () => {
    if (pcscd.available) await pcscd.stop();
  });

  describeBadgeReaderContract(
    "pcsc (pcscd + vpcd)",
    async () => {
      let card: VpcdCard | undefined;
      return {
        reader: newReader(),
        async present(uid) {
          card = new VpcdCard({ uid, port: vpcdPort });
          await card.present();
        },
        remove: () => removeCard(card),
        dispose: () => removeCard(card),
      };
    },
    { timeoutMs: TIMEOUT },
  );

  describe("on the real stack", () => {
    let reader: PcscBadgeReader;
    let card: VpcdCard | undefined;
    let badges: BadgePresentation[];
    let statuses: ReaderStatus[];

    const start = async () => {
      reader = newReader();
      badges = [];
      statuses = [];
      reader.onBadge((badge) => badges.push(badge));
      reader.onStatus((status) => statuses.push(status));
      await reader.start();
      await waitUntil(() => reader.status().state === "connected", "the vpcd reader", TIMEOUT);
    };

    const present = async (uid: Uint8Array, behaviour = {}) => {
      card = new VpcdCard({ uid, port: vpcdPort, behaviour });
      await card.present();
      return card;
    };

    afterEach(async () => {
      await removeCard(card);
      await reader.stop();
    });

    it("reads 4-, 7- and 10-byte UIDs, exactly one event each", async () => {
      await start();
      const uids = [
        Uint8Array.of(0x5a, 0x01, 0x02, 0x03),
        Uint8Array.of(0x04, 0x52, 0x9c, 0x1a, 0x2b, 0x3c, 0x80),
        Uint8Array.of(0x08, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99),
      ];
      for (const [index, uid] of uids.entries()) {
        await present(uid);
        await waitUntil(() => badges.length > index, `badge ${index + 1}`, TIMEOUT);
        await removeCard(card);
      }
      expect(badges.map((b) => hex(b.uid))).toEqual(uids.map(hex));
      expect(badges.every((b) => b.readerId === "vpcd-reader")).toBe(true);
    });

    it("does not repeat while the card stays on the reader, then reads it again", async () => {
      await start();
      const uid = Uint8Array.of(0x04, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff);
      const onReader = await present(uid);
      await waitUntil(() => badges.length === 1, "the first read", TIMEOUT);
      // vpcd asks the card for its ATR on every presence poll: count polls, not milliseconds.
      let polls = 0;
      onReader.on("control", () => {
        polls += 1;
      });
      await waitUntil(() => polls >= 6, "six presence polls with the card left on", TIMEOUT);
      expect(badges).toHaveLength(1);
      await removeCard(onReader);
      await present(uid);
      await waitUntil(() => badges.length === 2, "the second presentation", TIMEOUT);
      expect(badges.map((b) => hex(b.uid))).toEqual([hex(uid), hex(uid)]);
    });

    it("reports a card that refuses GET DATA as an error, without a badge", async () => {
      await start();
      await present(Uint8Array.of(1, 2, 3, 4), { refuseUid: true });
      await waitUntil(() => reader.status().state === "error", "the error status", TIMEOUT);
      expect(reader.status().error).toMatch(/card unreadable: card answered 6a81/);
      await removeCard(card);
      await waitUntil(() => reader.status().state === "connected", "connected again", TIMEOUT);
      expect(badges).toEqual([]);
    });

    it("survives pcscd dying and reads again once it is back", async () => {
      if (!pcscd.available || !pcscd.ownProcess) {
        // A pcscd the tests did not start is not theirs to kill: skip loudly (fail in CI).
        unavailable("a pcscd not started by the tests is running", "the pcscd restart test is");
        return;
      }
      await start();
      await pcscd.crash();
      // The readers' own errors and ends may come first, in any order: wait for the outcome.
      const serviceLost = () => /PC\/SC service/.test(reader.status().error ?? "");
      await waitUntil(serviceLost, "the status to say pcscd is gone", TIMEOUT);
      expect(reader.status().state).toBe("error");
      await pcscd.restart();
      await waitUntil(() => reader.status().state === "connected", "reconnection", TIMEOUT);
      const uid = Uint8Array.of(0x0c, 0x0a, 0x0f, 0x0e);
      await present(uid);
      await waitUntil(() => badges.length === 1, "a read after the restart", TIMEOUT);
      expect(hex(badges[0]?.uid ?? new Uint8Array())).toBe("0c0a0f0e");
      expect(statuses.map((s) => s.state)).toContain("error");
    });
  });
});
