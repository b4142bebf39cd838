/**
 * New connections per client address in a sliding minute, for the embedded broker: a gateway
 * reconnects with backoff (a few a minute at worst), a flood of connections from one address is
 * refused before any byte is read. Addresses are forgotten when their window is over; the map is
 * bounded so a spread of spoofed-looking addresses cannot grow it without end.
 */
export class ConnectionRateLimit {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
    private readonly clock: { now(): number } = { now: () => Date.now() },
    private readonly maxAddresses = 50_000,
  ) {}

  /** Counts a new connection from `address`; false when it is one too many. */
  allow(address: string): boolean {
    const now = this.clock.now();
    let window = this.windows.get(address);
    if (window === undefined || window.resetAt <= now) {
      if (window !== undefined) this.windows.delete(address);
      if (this.windows.size >= this.maxAddresses) this.forgetExpired(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(address, window);
    }
    window.count += 1;
    return window.count <= this.perWindow;
  }

  private forgetExpired(now: number): void {
    for (const [address, window] of this.windows)
      if (window.resetAt <= now) this.windows.delete(address);
    for (const address of this.windows.keys()) {
      if (this.windows.size < this.maxAddresses) break;
      this.windows.delete(address);
    }
  }
}
