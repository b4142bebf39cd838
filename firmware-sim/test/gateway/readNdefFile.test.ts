import { readNdefFile, type Transmit } from "@passerelle/gateway";
import {
  cardFileReadKey,
  parseSunUrl,
  readNdefUri,
  sunVerificationKeys,
  verifySunMessage,
} from "@passerelle/protocol";
import { describe, expect, it } from "vitest";
import { SimulatedNtag424 } from "../../src/nfc/ntag424Card.js";

const keys = sunVerificationKeys(Buffer.alloc(16, 3), 1);
const uid = Buffer.from("04A1B2C3D4E5F6", "hex");

function cardTransmit(card: SimulatedNtag424): Transmit {
  return async (apdu) => Buffer.from(card.answer(apdu));
}

describe("readNdefFile against the simulated NTAG 424 DNA", () => {
  it("reads a fresh SUN on every tap, which verifies", async () => {
    const card = new SimulatedNtag424({ uid, keys, counter: 10 });
    for (const expected of [11, 12]) {
      card.reset();
      const read = await readNdefFile(cardTransmit(card));
      if (!read.ok) throw new Error(read.failure);
      const uri = readNdefUri(read.file);
      const sun = uri.ok ? parseSunUrl(uri.uri) : null;
      if (!sun) throw new Error("no SUN");
      const result = verifySunMessage(sun, keys.metaReadKey, (u) => cardFileReadKey(keys, u));
      expect(result).toEqual({ ok: true, uid, readCounter: expected });
    }
  });

  it("says no-ndef for a storage card, io when the card leaves mid-read, truncated on a short read", async () => {
    expect(await readNdefFile(async () => Buffer.from("6A82", "hex"))).toEqual({
      ok: false,
      failure: "no-ndef",
    });
    const card = new SimulatedNtag424({ uid, keys });
    let calls = 0;
    const leaving: Transmit = async (apdu, max) => {
      calls += 1;
      if (calls > 3) throw new Error("card removed");
      return cardTransmit(card)(apdu, max);
    };
    expect(await readNdefFile(leaving)).toEqual({ ok: false, failure: "io" });
    card.reset();
    const short: Transmit = async (apdu, max) => {
      const answer = await cardTransmit(card)(apdu, max);
      return apdu[1] === 0xb0 && apdu[3] !== 0
        ? Buffer.concat([answer.subarray(0, 3), answer.subarray(-2)])
        : answer;
    };
    expect(await readNdefFile(short)).toEqual({ ok: false, failure: "truncated" });
  });

  it("refuses a length larger than the NDEF file", async () => {
    const oversized: Transmit = async (apdu) =>
      apdu[1] === 0xb0 ? Buffer.from("01F49000", "hex") : Buffer.from("9000", "hex");
    expect(await readNdefFile(oversized)).toEqual({ ok: false, failure: "oversized" });
  });
});
