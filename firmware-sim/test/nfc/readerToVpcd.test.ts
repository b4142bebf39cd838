import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { SimulatedReader } from "../../src/devices/simulatedReader.js";
import { bridgeReaderToVpcd, vpcdListening } from "../../src/nfc/readerToVpcd.js";
import { encodeVpcdMessage, VpcdMessageDecoder } from "../../src/nfc/vpcdProtocol.js";

/** vpcd's side: on every card connection, asks for the UID (FF CA 00 00 00) and notes it. */
async function readingVpcd(): Promise<{
  server: Server;
  port: number;
  read: string[];
  closed: number[];
}> {
  const read: string[] = [];
  const closed: number[] = [];
  const server = createServer((socket) => {
    const decoder = new VpcdMessageDecoder();
    socket.on("data", (chunk: Buffer) => {
      for (const message of decoder.push(chunk)) {
        if (message.kind === "apdu") read.push(Buffer.from(message.apdu).toString("hex"));
      }
    });
    socket.on("close", () => closed.push(read.length));
    socket.on("error", () => socket.destroy()); // the card hangs up by resetting: expected
    socket.write(encodeVpcdMessage(Uint8Array.of(0xff, 0xca, 0x00, 0x00, 0x00)));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return { server, port: address.port, read, closed };
}

describe("a simulated reader bridged to vpcd", () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
  });

  it("presents each tapped card to vpcd, one at a time, and takes it away", async () => {
    const vpcd = await readingVpcd();
    server = vpcd.server;
    const reader = new SimulatedReader("reader-1");
    const stop = bridgeReaderToVpcd(reader, { port: vpcd.port, holdMs: 30 });
    reader.tap(Uint8Array.of(0x04, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6));
    reader.tap(Uint8Array.of(0x04, 0x01, 0x02, 0x03));
    while (vpcd.closed.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    // Each answer: the UID then status word 90 00; the second card came after the first left.
    expect(vpcd.read).toEqual(["04a1b2c3d4e5f69000", "040102039000"]);
    expect(vpcd.closed).toEqual([1, 2]);
    stop();
    reader.tap(Uint8Array.of(0x04, 0x09, 0x09, 0x09));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(vpcd.read).toHaveLength(2);
  });

  it("says whether vpcd listens, and reports a card it could not present", async () => {
    const vpcd = await readingVpcd();
    server = vpcd.server;
    expect(await vpcdListening("127.0.0.1", vpcd.port)).toBe(true);
    server.close();
    await once(server, "close");
    expect(await vpcdListening("127.0.0.1", vpcd.port)).toBe(false);
    const errors: string[] = [];
    const reader = new SimulatedReader("reader-1");
    bridgeReaderToVpcd(reader, { port: vpcd.port, onError: (e) => errors.push(e.message) });
    reader.tap(Uint8Array.of(0x04, 0x01, 0x02, 0x03));
    while (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors[0]).toMatch(/no vpcd on 127\.0\.0\.1/);
  });
});
