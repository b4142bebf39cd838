import {
  decodeMessage,
  encodeMessage,
  type GatewayEvent,
  topicFor,
  uuidv7,
} from "@passerelle/protocol";
import { connectAsync, type MqttClient } from "mqtt";

/**
 * A simulated gateway for the restore drill, behaving as the real uplink does
 * (docs/gateway-door-outbox.md): events wait in an outbox until the cloud's application ack
 * covers them, one batch in flight, re-sent after a silence or a reconnection. It records
 * every seq acked and when, so the drill can tell acknowledged events from the others.
 */
export class DrillGateway {
  /** Events not acked yet, in seq order: what a real gateway keeps on disk. */
  readonly outbox: GatewayEvent[] = [];
  /** seq → when its ack arrived (Date.now()). */
  readonly ackedAt = new Map<number, number>();
  /** Every seq ever published, counted per publication (re-sends included). */
  readonly published: number[] = [];
  private nextSeq = 1;
  private client: MqttClient | undefined;
  private inFlight: number | undefined;
  private resendTimer: NodeJS.Timeout | undefined;
  private producer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: string,
    private readonly centre: string,
    private readonly door: string,
    private readonly secret: string,
  ) {}

  /** Connects (or reconnects to another broker, as after a restore) and sends the outbox. */
  async connect(brokerUrl: string): Promise<void> {
    await this.disconnect();
    const client = await connectAsync(brokerUrl, {
      clientId: `gw-${this.id}`,
      username: this.id,
      password: this.secret,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    client.on("error", () => {});
    client.on("message", (_topic, payload) => this.onAck(payload));
    await client.subscribeAsync(topicFor(this.id, "ack"), { qos: 1 });
    this.client = client;
    this.inFlight = undefined;
    this.sendNext();
  }

  /** Adds `perTick` events every `everyMs` (door cycles and alarms, audited). */
  startProducing(perTick: number, everyMs: number): void {
    this.producer = setInterval(() => {
      for (let i = 0; i < perTick; i += 1) this.outbox.push(this.event());
      if (this.inFlight === undefined) this.sendNext();
    }, everyMs);
  }

  stopProducing(): void {
    clearInterval(this.producer);
  }

  async disconnect(): Promise<void> {
    clearTimeout(this.resendTimer);
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await client.endAsync(true).catch(() => {});
  }

  /** The highest seq acked at or before `instant`. */
  ackedBefore(instant: number): number[] {
    return [...this.ackedAt].filter(([, at]) => at <= instant).map(([seq]) => seq);
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  private event(): GatewayEvent {
    const seq = this.nextSeq;
    this.nextSeq += 1;
    return {
      id: uuidv7(),
      seq,
      time: new Date().toISOString(),
      // One in five is a door alarm: those get an audit entry in the ingest's transaction.
      type: seq % 5 === 0 ? "door.forced-open" : "door.opened",
      centre: this.centre,
      door: this.door,
    };
  }

  private sendNext(): void {
    const client = this.client;
    if (client === undefined || this.inFlight !== undefined || this.outbox.length === 0) return;
    const batch = this.outbox.slice(0, 50);
    this.inFlight = batch[batch.length - 1]?.seq;
    for (const event of batch) this.published.push(event.seq);
    client.publish(topicFor(this.id, "events"), encodeMessage("events", { events: batch }), {
      qos: 1,
    });
    // The real uplink re-sends after its ack timeout (10 s); the drill is shorter.
    clearTimeout(this.resendTimer);
    this.resendTimer = setTimeout(() => {
      this.inFlight = undefined;
      this.sendNext();
    }, 3_000);
  }

  private onAck(payload: Buffer): void {
    const { upToSeq } = decodeMessage("ack", payload);
    const now = Date.now();
    while (this.outbox.length > 0 && (this.outbox[0]?.seq ?? Infinity) <= upToSeq) {
      const acked = this.outbox.shift();
      if (acked !== undefined && !this.ackedAt.has(acked.seq)) this.ackedAt.set(acked.seq, now);
    }
    if (this.inFlight !== undefined && upToSeq >= this.inFlight) {
      clearTimeout(this.resendTimer);
      this.inFlight = undefined;
      this.sendNext();
    }
  }
}
