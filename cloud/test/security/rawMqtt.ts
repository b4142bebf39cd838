import { connect, type Socket } from "node:net";

/** MQTT's remaining-length varint (1–4 bytes, 7 bits each, low first). */
export function remainingLength(length: number): Buffer {
  const bytes: number[] = [];
  let rest = length;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return Buffer.from(bytes);
}

/** A CONNECT fixed header announcing `announced` bytes, and the start of a plausible body. */
export function hugeConnectHead(announced: number): Buffer {
  const variable = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0xc2, 0, 60]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(announced), variable]);
}

/**
 * An anonymous client of the pre-authentication flood (issue 13, finding 2): announces a huge
 * CONNECT and streams filler as fast as the socket takes it, for at most `forMs`. Resolves with
 * how many bytes it got out and whether the broker closed the connection.
 */
export function floodClient(
  port: number,
  announced: number,
  forMs: number,
): Promise<{ sent: number; closedByBroker: boolean }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, "127.0.0.1");
    const filler = Buffer.alloc(64 * 1024, 0x41);
    let sent = 0;
    let done = false;
    const finish = (closedByBroker: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ sent, closedByBroker });
    };
    const timer = setTimeout(() => finish(false), forMs);
    const pump = () => {
      while (!done && !socket.destroyed) {
        sent += filler.length;
        if (!socket.write(filler)) return;
      }
    };
    socket.on("connect", () => {
      socket.write(hugeConnectHead(announced));
      pump();
    });
    socket.on("drain", pump);
    socket.on("error", () => finish(true));
    socket.on("close", () => finish(true));
  });
}

/** A connection that sends nothing: resolves whether the broker closed it within `forMs`. */
export function idleConnection(port: number, forMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, forMs);
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
