import { constants } from "node:os";

const stopSignals = ["SIGTERM", "SIGINT"] as const;

export interface StopSignal {
  /** The first SIGTERM or SIGINT. */
  readonly received: Promise<NodeJS.Signals>;
  /** Removes the handlers (after the clean stop, or when the start failed). */
  dispose(): void;
}

/**
 * The first SIGTERM/SIGINT asks for a clean stop; a second one means the operator (or systemd's
 * stop timeout, before its SIGKILL) will not wait: exit at once with 128 + the signal's number,
 * the shell's convention for "killed by".
 */
export function untilStopSignal(onForced: (signal: NodeJS.Signals) => void): StopSignal {
  let first: NodeJS.Signals | undefined;
  let resolve: (signal: NodeJS.Signals) => void = () => {};
  const received = new Promise<NodeJS.Signals>((done) => {
    resolve = done;
  });
  const handler = (signal: NodeJS.Signals) => {
    if (first === undefined) {
      first = signal;
      resolve(signal);
      return;
    }
    onForced(signal);
    process.exit(128 + (constants.signals[signal] ?? 0));
  };
  for (const signal of stopSignals) process.on(signal, handler);
  return {
    received,
    dispose() {
      for (const signal of stopSignals) process.off(signal, handler);
    },
  };
}
