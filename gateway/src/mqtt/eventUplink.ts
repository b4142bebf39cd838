import { encodeMessage } from "@passerelle/protocol";
import type { Logger } from "../core/logger.js";
import type { UnackedEvents } from "../core/partTypes.js";

export type { UnackedEvents };

/** What the uplink needs from the MQTT link. */
export interface EventPublisher {
  isConnected(): boolean;
  publish(kind: "events", payload: Buffer): Promise<void>;
}

export interface EventUplinkOptions {
  batchSize: number;
  ackTimeoutMs: number;
  logger: Logger;
}

/**
 * Moves events from the outbox to the cloud, one batch in flight at a time (docs/gateway.md,
 * "Events to the cloud"):
 * a batch is published at QoS 1, and its rows are deleted only when the cloud's application ack
 * `{upToSeq}` arrives. A broker PUBACK deletes nothing. After a reconnect or an ack timeout the
 * oldest unacked batch is sent again; the cloud's dedupe on (gateway, seq) makes that harmless.
 */
export class EventUplink {
  private inFlightUpTo: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly log: Logger;
  private stopped = false;

  constructor(
    private readonly outbox: UnackedEvents,
    private readonly link: EventPublisher,
    private readonly options: EventUplinkOptions,
  ) {
    this.log = options.logger.child({ module: "gateway:uplink" });
  }

  /** Call when an event was appended, when the link came up, or after an ack. */
  pump(): void {
    if (this.stopped || this.inFlightUpTo !== null || !this.link.isConnected()) return;
    const batch = this.outbox.nextBatch(this.options.batchSize);
    const last = batch[batch.length - 1];
    if (!last) return;
    this.inFlightUpTo = last.seq;
    this.timer = setTimeout(() => this.retry("no ack in time"), this.options.ackTimeoutMs);
    let payload: Buffer;
    try {
      payload = encodeMessage("events", { events: batch });
    } catch (error) {
      // The outbox checks every event, so this is a bug; the call must still never throw into
      // the MQTT link's handlers. The ack timer tries again, with the outbox checking again.
      this.log.error({ err: (error as Error).message, upToSeq: last.seq }, "batch not encodable");
      return;
    }
    this.link.publish("events", payload).catch((error: Error) => {
      this.retry(`publish failed: ${error.message}`);
    });
  }

  /** The cloud committed everything up to `upToSeq`. */
  onAck(upToSeq: number): void {
    this.outbox.ack(upToSeq);
    if (this.inFlightUpTo !== null && upToSeq >= this.inFlightUpTo) {
      this.clearInFlight();
      this.pump();
    }
  }

  /** The link went down: whatever was in flight will be sent again on reconnect. */
  onConnectionChange(connected: boolean): void {
    this.clearInFlight();
    if (connected) this.pump();
  }

  stop(): void {
    this.stopped = true;
    this.clearInFlight();
  }

  private retry(why: string): void {
    if (this.inFlightUpTo === null) return;
    this.log.warn({ upToSeq: this.inFlightUpTo, why }, "re-sending unacked events");
    this.clearInFlight();
    this.pump();
  }

  private clearInFlight(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlightUpTo = null;
  }
}
