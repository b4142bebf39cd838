/**
 * The two integrity checks an OSDP packet can end with (control byte bit 2 chooses):
 * CRC-16 with polynomial 0x1021 and initial value 0x1D0F, no reflection (the CRC-16/AUG-CCITT
 * variant SIA OSDP specifies), sent least significant byte first; or a one-byte checksum,
 * the two's complement of the byte sum.
 */

const table = (() => {
  const entries = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit += 1) {
      crc = (crc & 0x8000) !== 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    entries[byte] = crc;
  }
  return entries;
})();

export function osdpCrc16(bytes: Uint8Array): number {
  let crc = 0x1d0f;
  for (const byte of bytes) {
    crc = ((crc << 8) & 0xffff) ^ (table[((crc >>> 8) ^ byte) & 0xff] as number);
  }
  return crc;
}

export function osdpChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  return (0x100 - sum) & 0xff;
}
