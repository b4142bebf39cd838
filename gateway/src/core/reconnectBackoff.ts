/**
 * Exponential reconnect delay with full jitter: a hundred gateways that lost the same broker do
 * not all knock again in the same second.
 */
export class ReconnectBackoff {
  private attempts = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; grows with each failure. */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.minMs * 2 ** this.attempts);
    this.attempts = Math.min(this.attempts + 1, 30);
    return Math.round(this.minMs + this.random() * (ceiling - this.minMs));
  }

  reset(): void {
    this.attempts = 0;
  }
}
