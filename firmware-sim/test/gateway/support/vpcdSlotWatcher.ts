import { createRequire } from "node:module";
import { defaultPcscdSocket, isPcscdReachable } from "@passerelle/gateway";
import { waitUntil } from "@passerelle/gateway/hardware-contracts";

interface RawReader {
  name: string;
  SCARD_STATE_EMPTY: number;
  on(event: "status", listener: (status: { state: number }) => void): void;
  on(event: "error" | "end", listener: () => void): void;
  close(): void;
}
interface RawContext {
  on(event: "reader", listener: (reader: RawReader) => void): void;
  on(event: "error", listener: () => void): void;
  close(): void;
}

// nfc-pcsc's own PC/SC binding, reached through nfc-pcsc's location: the gateway does not
// depend on it directly, and only this test helper needs it raw.
const requireFromNfcPcsc = createRequire(createRequire(import.meta.url).resolve("nfc-pcsc"));

/**
 * Waits until pcscd reports the slot empty. vpcd only notices that a virtual card's socket
 * closed at its next presence poll (every 400 ms), so a test that goes on at once can meet the
 * old card's ghost: this watches PC/SC's own view instead of sleeping for a guessed time.
 */
export async function waitForEmptySlot(readerName: string, timeoutMs = 10_000): Promise<void> {
  if (!(await isPcscdReachable(defaultPcscdSocket()))) return; // no pcscd, no card
  const pcsclite = requireFromNfcPcsc("@pokusew/pcsclite") as () => RawContext;
  const context = pcsclite();
  const readers: RawReader[] = [];
  let empty = false;
  context.on("error", () => {
    empty = true; // pcscd went away: no card is on any of its readers
  });
  context.on("reader", (reader) => {
    readers.push(reader);
    reader.on("error", () => {});
    reader.on("end", () => {});
    reader.on("status", (status) => {
      if (reader.name === readerName && (status.state & reader.SCARD_STATE_EMPTY) !== 0) {
        empty = true;
      }
    });
  });
  try {
    await waitUntil(() => empty, `${readerName} to be empty`, timeoutMs);
  } finally {
    for (const reader of readers) reader.close();
    context.close();
  }
}
