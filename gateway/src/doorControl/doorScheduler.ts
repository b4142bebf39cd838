/** Time as the door state machine sees it: injected, so tests drive it by hand or with fake timers. */
export interface DoorScheduler {
  now(): number;
  /** Runs `task` after `ms`; the returned function cancels it. */
  after(ms: number, task: () => void): () => void;
}

/** The real clock and Node timers (vi.useFakeTimers drives these too). */
export const timerScheduler: DoorScheduler = {
  now: () => Date.now(),
  after(ms, task) {
    const timer = setTimeout(task, ms);
    return () => clearTimeout(timer);
  },
};
