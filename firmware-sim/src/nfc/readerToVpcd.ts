import { connect } from "node:net";
import type { SimulatedReader } from "../devices/simulatedReader.js";
import { VpcdCard } from "./vpcdCard.js";
import { VPCD_DEFAULT_PORT } from "./vpcdProtocol.js";

export interface VpcdBridgeOptions {
  host?: string;
  port?: number;
  /** How long a card lies on the reader: pcscd polls, nfc-pcsc then reads the UID. */
  holdMs?: number;
  onError?: (error: Error) => void;
}

/** Resolves when something (vpcd, loaded by pcscd) accepts connections on the port. */
export function vpcdListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect({ host, port });
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

/**
 * Sends a simulated reader's taps through a real PC/SC stack instead: each card tapped on
 * `reader` is presented as a VpcdCard to vpcd (pcscd's virtual reader), held for `holdMs`, then
 * removed, one card at a time. The gateway reads it with its `pcsc` adapter like a real card.
 * Returns the function that stops forwarding.
 */
export function bridgeReaderToVpcd(
  reader: SimulatedReader,
  options: VpcdBridgeOptions = {},
): () => void {
  let queue: Promise<void> = Promise.resolve();
  const onBadge = (uid: Uint8Array) => {
    queue = queue.then(async () => {
      const card = new VpcdCard({
        uid,
        host: options.host ?? "127.0.0.1",
        port: options.port ?? VPCD_DEFAULT_PORT,
      });
      try {
        await card.present();
        await new Promise((resolve) => setTimeout(resolve, options.holdMs ?? 400));
      } catch (error) {
        options.onError?.(error as Error);
      } finally {
        await card.remove();
      }
    });
  };
  reader.on("badge", onBadge);
  return () => reader.off("badge", onBadge);
}
