import {
  type BadgePresentation,
  importNfcPcsc,
  PcscBadgeReader,
  proveCard,
  ReadCounterTable,
} from "@passerelle/gateway";
import { waitUntil } from "@passerelle/gateway/hardware-contracts";
import { SunVerifier, sunVerificationKeys } from "@passerelle/protocol";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { NTAG424_ATR, SimulatedNtag424 } from "../../src/nfc/ntag424Card.js";
import { VpcdCard } from "../../src/nfc/vpcdCard.js";
import { providePcscd, unavailable } from "./support/pcscdHarness.js";
import { waitForEmptySlot } from "./support/vpcdSlotWatcher.js";

/**
 * NTAG 424 DNA through the real PC/SC stack: nfc-pcsc -> pcscd -> vpcd -> firmware-sim's
 * simulated NTAG 424 DNA. The adapter reads the NDEF file after the UID; the SUN it finds is
 * fresh on every tap, and a clone replaying a recorded SUN is caught by the counter rule.
 */

const nfcPcscLoads = await importNfcPcsc().then(
  () => true,
  (error: Error) => unavailable(error.message).available,
);
const pcscd = nfcPcscLoads
  ? await providePcscd()
  : { available: false as const, reason: "no nfc-pcsc" };
const vpcdPort = pcscd.available ? pcscd.vpcdPort : 0;
const TIMEOUT = 10_000;
const SLOT = "Virtual PCD 00 00";

const keys = sunVerificationKeys(Buffer.alloc(16, 0x77), 1);
const verifier = new SunVerifier(keys);
const uid = Buffer.from("04C0FFEE123456", "hex");

describe.skipIf(!pcscd.available)("NTAG 424 DNA SUN through pcscd and vpcd", () => {
  let reader: PcscBadgeReader | undefined;
  let vpcdCard: VpcdCard | undefined;
  const badges: BadgePresentation[] = [];

  afterAll(async () => {
    if (pcscd.available) await pcscd.stop();
  });
  afterEach(async () => {
    await tap.off();
    await reader?.stop();
  });

  const tap = {
    async on(applet: SimulatedNtag424) {
      vpcdCard = new VpcdCard({ uid, port: vpcdPort, atr: NTAG424_ATR, applet });
      await vpcdCard.present();
    },
    async off() {
      if (!vpcdCard?.isPresent()) return;
      await vpcdCard.remove();
      await waitForEmptySlot(SLOT, TIMEOUT);
    },
  };

  it("reads a fresh SUN per tap; a replayed SUN and a forged one are refused", async () => {
    reader = new PcscBadgeReader({ id: "desk", readerName: SLOT, readNdefFile: true });
    reader.onBadge((badge) => badges.push(badge));
    await reader.start();
    await waitUntil(() => reader?.status().state === "connected", "the vpcd reader", TIMEOUT);

    const card = new SimulatedNtag424({ uid, keys, counter: 41 });
    const counters = new ReadCounterTable();
    const proofs: string[] = [];
    const tapAndProve = async (applet: SimulatedNtag424) => {
      const before = badges.length;
      await tap.on(applet);
      await waitUntil(() => badges.length > before, "a badge", TIMEOUT);
      await tap.off();
      const proof = proveCard(badges.at(-1) as BadgePresentation, verifier);
      if (proof.kind !== "sun") return proofs.push(proof.kind === "refused" ? proof.reason : "uid");
      return proofs.push(
        counters.accept("card", proof.readCounter).fresh ? `sun ${proof.readCounter}` : "replayed",
      );
    };

    await tapAndProve(card);
    await tapAndProve(card);
    // A clone that recorded the last SUN answers the same UID with it.
    const clone = new SimulatedNtag424({ uid, keys: sunVerificationKeys(Buffer.alloc(16, 1), 1) });
    clone.replayFile = card.lastFile;
    await tapAndProve(clone);
    // A clone without the keys makes up its own SUN.
    await tapAndProve(
      new SimulatedNtag424({ uid, keys: sunVerificationKeys(Buffer.alloc(16, 1), 1) }),
    );
    expect(proofs).toEqual(["sun 42", "sun 43", "replayed", "credential.invalid-mac"]);
  });
});
