import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { VpcdCard } from "../../src/nfc/vpcdCard.js";
import { encodeVpcdMessage, VpcdMessageDecoder } from "../../src/nfc/vpcdProtocol.js";

/** Plays vpcd's side of the protocol: sends control messages and APDUs, collects answers. */
class FakeVpcd {
  private server: Server | undefined;
  private socket: Socket | undefined;
  private readonly decoder = new VpcdMessageDecoder();
  private readonly answers: Uint8Array[] = [];
  private waiting: ((answer: Uint8Array) => void) | undefined;

  async listen(): Promise<number> {
    const server = createServer((socket) => {
      this.socket = socket;
      socket.on("data", (chunk: Buffer) => {
        for (const message of this.decoder.push(chunk)) {
          if (message.kind !== "apdu") throw new Error("a card never sends control messages");
          this.answers.push(message.apdu);
          this.waiting?.(message.apdu);
        }
      });
    });
    this.server = server;
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no port");
    return address.port;
  }

  async connected(): Promise<Socket> {
    while (this.socket === undefined) await new Promise((resolve) => setImmediate(resolve));
    return this.socket;
  }

  /** Sends a payload and waits for the card's answer. */
  async ask(payload: number[]): Promise<Uint8Array> {
    const socket = await this.connected();
    const answer = new Promise<Uint8Array>((resolve) => {
      this.waiting = resolve;
    });
    socket.write(encodeVpcdMessage(Uint8Array.from(payload)));
    return answer;
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("VpcdCard", () => {
  let vpcd: FakeVpcd;
  afterEach(() => vpcd.close());

  it("answers GET ATR and GET UID, and stays silent on power control", async () => {
    vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    const card = new VpcdCard({ uid: Uint8Array.of(1, 2, 3, 4), port });
    const controls: number[] = [];
    card.on("control", (code) => controls.push(code));
    await card.present();
    expect(card.isPresent()).toBe(true);
    // Power on gets no answer: the next answer seen must be the ATR.
    (await vpcd.connected()).write(encodeVpcdMessage(Uint8Array.of(0x01)));
    expect(hex(await vpcd.ask([0x04]))).toBe("3b8f8001804f0ca000000306030001000000006a");
    expect(controls).toEqual([0x01, 0x04]);
    expect(hex(await vpcd.ask([0xff, 0xca, 0, 0, 0]))).toBe("010203049000");
    expect(hex(await vpcd.ask([0xff, 0x82, 0, 0, 6, 0, 0, 0, 0, 0, 0]))).toBe("6d00");
    await card.remove();
    expect(card.isPresent()).toBe(false);
  });

  it("reports removal when the reader side closes the connection", async () => {
    vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    const card = new VpcdCard({ uid: new Uint8Array(10).fill(7), port });
    await card.present();
    const removed = once(card, "removed");
    (await vpcd.connected()).destroy();
    await removed;
    expect(card.isPresent()).toBe(false);
  });

  it("says what is missing when nothing listens", async () => {
    vpcd = new FakeVpcd();
    const port = await vpcd.listen();
    await vpcd.close();
    const card = new VpcdCard({ uid: Uint8Array.of(1, 2, 3, 4), port });
    await expect(card.present()).rejects.toThrow(/pcscd running with the vsmartcard-vpcd/);
    expect(card.isPresent()).toBe(false);
  });

  it("refuses a UID that is not 4, 7 or 10 bytes", () => {
    expect(() => new VpcdCard({ uid: Uint8Array.of(1, 2, 3, 4, 5) })).toThrow(/4, 7 or 10/);
  });
});
