import type { EventEmitter } from "node:events";
import { constants } from "node:os";

const stopSignals = ["SIGTERM", "SIGINT"] as const;

export interface StopSignal {
  /** The first SIGTERM or SIGINT. */
  readonly received: Promise<NodeJS.Signals>;
  /**
   * The clean stop is done: later signals are ignored while the process ends by itself (the
   * handlers stay, since without them a late signal would kill it with the default action).
   */
  stopped(): void;
  /** Removes the handlers (when the start failed). */
  dispose(): void;
}

/** The process by default; tests give an emitter and an exit that records. */
export interface SignalSource {
  readonly emitter: Pick<EventEmitter, "on" | "off">;
  readonly exit: (code: number) => void;
}

const processSignals: SignalSource = {
  emitter: process,
  exit: (code) => process.exit(code),
};

/**
 * The first SIGTERM/SIGINT asks for a clean stop; a second one means the operator (or systemd's
 * stop timeout, before its SIGKILL) will not wait: exit at once with 128 + the signal's number,
 * the shell's convention for "killed by".
 */
export function untilStopSignal(
  onForced: (signal: NodeJS.Signals) => void,
  source: SignalSource = processSignals,
): StopSignal {
  let first: NodeJS.Signals | undefined;
  let done = false;
  let resolve: (signal: NodeJS.Signals) => void = () => {};
  const received = new Promise<NodeJS.Signals>((done) => {
    resolve = done;
  });
  const handler = (signal: NodeJS.Signals) => {
    if (done) return;
    if (first === undefined) {
      first = signal;
      resolve(signal);
      return;
    }
    onForced(signal);
    source.exit(128 + (constants.signals[signal] ?? 0));
  };
  for (const signal of stopSignals) source.emitter.on(signal, handler);
  return {
    received,
    stopped() {
      done = true;
    },
    dispose() {
      for (const signal of stopSignals) source.emitter.off(signal, handler);
    },
  };
}
