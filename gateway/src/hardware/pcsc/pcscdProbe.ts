import { connect } from "node:net";

/** Where libpcsclite looks for pcscd, as it does: PCSCLITE_CSOCK_NAME, else the Debian default. */
export function defaultPcscdSocket(env: NodeJS.ProcessEnv = process.env): string {
  return env.PCSCLITE_CSOCK_NAME ?? "/run/pcscd/pcscd.comm";
}

/**
 * Whether pcscd accepts connections on its socket. This check must come before nfc-pcsc's
 * `new NFC()`: @pokusew/pcsclite 0.6 retries SCardEstablishContext in a loop on the main thread
 * while the service is absent, which would freeze the whole gateway, door included.
 * (A stale socket file left by a killed pcscd refuses connections, so it reads as down.)
 */
export function isPcscdReachable(socketPath: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path: socketPath });
    const finish = (reachable: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reachable);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}
