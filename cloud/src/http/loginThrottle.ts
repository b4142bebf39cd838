/** One fixed window of attempts for one key. */
interface Window {
  count: number;
  resetAt: number;
  /** The lockout of this window was reported already (one audit notice per lockout). */
  reported: boolean;
}

export type ThrottleScope = "account" | "client";

export interface ThrottleLimits {
  /** Attempts a minute on one account, whatever the client (guessing one password). */
  perAccount: number;
  /** Attempts a minute from one client address, across all accounts (spraying addresses). */
  perClient: number;
  windowMs: number;
  /** Keys remembered per scope; the oldest are forgotten past it (memory stays bounded). */
  maxKeys: number;
}

export const defaultThrottleLimits: ThrottleLimits = {
  perAccount: 10,
  perClient: 30,
  windowMs: 60_000,
  maxKeys: 100_000,
};

export type AttemptVerdict =
  | { readonly allowed: true; readonly release: () => void }
  | {
      readonly allowed: false;
      readonly scope: ThrottleScope;
      readonly retryAfterSeconds: number;
      /** This refusal starts the lockout (the first in its window): worth an audit notice. */
      readonly newLockout: boolean;
    };

/**
 * The login throttle (docs/security.md "Anonymous internet client"). Each attempt is counted
 * before the password is checked, on two keys: the account (the normalised login identifier,
 * loginIdentifier.ts) and the client address. An attempt over either limit is refused with the
 * seconds until its window ends — even with the right password, or guessing would go on. A
 * successful login gives its attempt back, so people logging in (one office behind one
 * address) never lock themselves out; counting before the check bounds a burst of concurrent
 * guesses too. In memory, per cloud instance.
 */
export class LoginThrottle {
  private readonly windows: Record<ThrottleScope, Map<string, Window>> = {
    account: new Map(),
    client: new Map(),
  };

  constructor(
    private readonly clock: { now(): number },
    private readonly limits: ThrottleLimits = defaultThrottleLimits,
  ) {}

  attempt(account: string, client: string): AttemptVerdict {
    const now = this.clock.now();
    const accountWindow = this.windowOf("account", account, now);
    const clientWindow = this.windowOf("client", client, now);
    for (const [scope, window, max] of [
      ["account", accountWindow, this.limits.perAccount],
      ["client", clientWindow, this.limits.perClient],
    ] as const) {
      if (window.count >= max) {
        const newLockout = !window.reported;
        window.reported = true;
        const retryAfterSeconds = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
        return { allowed: false, scope, retryAfterSeconds, newLockout };
      }
    }
    accountWindow.count += 1;
    clientWindow.count += 1;
    let released = false;
    return {
      allowed: true,
      release: () => {
        if (released) return;
        released = true;
        accountWindow.count = Math.max(0, accountWindow.count - 1);
        clientWindow.count = Math.max(0, clientWindow.count - 1);
      },
    };
  }

  private windowOf(scope: ThrottleScope, key: string, now: number): Window {
    const windows = this.windows[scope];
    const known = windows.get(key);
    if (known !== undefined && known.resetAt > now) return known;
    if (known !== undefined) windows.delete(key);
    if (windows.size >= this.limits.maxKeys) this.forgetExpired(windows, now);
    const fresh: Window = { count: 0, resetAt: now + this.limits.windowMs, reported: false };
    windows.set(key, fresh);
    return fresh;
  }

  private forgetExpired(windows: Map<string, Window>, now: number): void {
    for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
    // Still full: forget the oldest (insertion order), the ones closest to their reset.
    for (const key of windows.keys()) {
      if (windows.size < this.limits.maxKeys) break;
      windows.delete(key);
    }
  }
}
