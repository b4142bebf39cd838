import { describe, expect, it } from "vitest";
import { answerApdu, storageCardAtr } from "../../src/nfc/storageCardApdu.js";

const GET_UID = Uint8Array.of(0xff, 0xca, 0x00, 0x00, 0x00);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("storageCardAtr", () => {
  it("is the PC/SC part 3 ATR of a MIFARE Classic 1K, with a correct TCK", () => {
    expect(hex(storageCardAtr())).toBe("3b8f8001804f0ca000000306030001000000006a");
  });

  it("recomputes the check byte for another card name", () => {
    const atr = storageCardAtr(0x0002);
    expect(atr[14]).toBe(0x02);
    const xor = atr.slice(1).reduce((acc, byte) => acc ^ byte, 0);
    expect(xor).toBe(0); // T0..TCK XOR to zero (ISO/IEC 7816-3 8.2.5)
  });

  it("has 0x4F at byte 5, which nfc-pcsc reads as an ISO 14443-3 tag", () => {
    expect(storageCardAtr()[5]).toBe(0x4f);
  });
});

describe("answerApdu", () => {
  const uid = Uint8Array.of(0x04, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6);

  it("answers GET DATA with the UID and 90 00", () => {
    expect(hex(answerApdu(GET_UID, uid))).toBe("04a1b2c3d4e5f69000");
  });

  it("honours an Le that covers the UID and reports 6C XX for a short one", () => {
    expect(hex(answerApdu(Uint8Array.of(0xff, 0xca, 0, 0, 7), uid))).toBe("04a1b2c3d4e5f69000");
    expect(hex(answerApdu(Uint8Array.of(0xff, 0xca, 0, 0, 4), uid))).toBe("6c07");
  });

  it("refuses the ATS request, other instructions, other classes and runts", () => {
    expect(hex(answerApdu(Uint8Array.of(0xff, 0xca, 0x01, 0, 0), uid))).toBe("6a81");
    expect(hex(answerApdu(Uint8Array.of(0xff, 0xb0, 0, 4, 16), uid))).toBe("6d00");
    expect(hex(answerApdu(Uint8Array.of(0x00, 0xa4, 4, 0, 0), uid))).toBe("6e00");
    expect(hex(answerApdu(Uint8Array.of(0xff, 0xca), uid))).toBe("6700");
  });

  it("refuses GET DATA when told to behave as an unreadable card", () => {
    expect(hex(answerApdu(GET_UID, uid, { refuseUid: true }))).toBe("6a81");
  });
});
