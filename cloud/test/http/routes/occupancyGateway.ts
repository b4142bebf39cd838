import {
  encodeMessage,
  type GatewayEvent,
  type OccupancySample,
  topicFor,
  uuidv7,
} from "@passerelle/protocol";
import { connectAsync, type MqttClient } from "mqtt";
import { createDoor } from "../../../src/domain/doors.js";
import { provisionGateway } from "../../../src/domain/gateways.js";
import type { ServiceDeps } from "../../../src/domain/serviceDeps.js";
import { onlineStatus } from "../../mocks/gatewayMessages.js";
import { admin } from "../../support/fixtures.js";

/**
 * A gateway of a centre as the route tests need it: provisioned in the cloud (its real broker
 * credentials), a configured door, and a real MQTT client publishing what a gateway publishes.
 */
export class TestGateway {
  private seq = 0;

  private constructor(
    readonly id: string,
    readonly centreId: string,
    readonly doorId: string,
    readonly client: MqttClient,
  ) {}

  static async start(
    deps: ServiceDeps,
    brokerPort: number,
    centreId: string,
  ): Promise<TestGateway> {
    const id = `gw-${centreId}`;
    const { secret } = await provisionGateway(deps, admin, { id, centreId });
    const door = await createDoor(deps, admin, {
      id: `${centreId}-front`,
      centreId,
      gatewayId: id,
      name: "Front door",
      direction: "both",
    });
    const client = await connectAsync(`mqtt://127.0.0.1:${brokerPort}`, {
      clientId: `gw-${id}`,
      username: id,
      password: secret,
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    return new TestGateway(id, centreId, door.id, client);
  }

  /** One event of this gateway, at `time` (default now), with the next seq. */
  event(fields: Partial<GatewayEvent> & Pick<GatewayEvent, "type">, time = Date.now()) {
    this.seq += 1;
    return {
      id: uuidv7(time),
      seq: this.seq,
      time: new Date(time).toISOString(),
      centre: this.centreId,
      door: this.doorId,
      ...fields,
    } as GatewayEvent;
  }

  /** A badge at the door: granted entry by default. */
  badge(member: string, fields: Partial<GatewayEvent> = {}, time = Date.now()): GatewayEvent {
    return this.event(
      {
        type: "access",
        direction: "in",
        credential: "AAAAAAAAAAAAAAAAAAAAAA",
        member,
        decision: "granted",
        reason: "pass",
        ...fields,
      },
      time,
    );
  }

  async publishEvents(events: readonly GatewayEvent[]): Promise<void> {
    await this.client.publishAsync(
      topicFor(this.id, "events"),
      encodeMessage("events", { events: [...events] }),
      { qos: 1 },
    );
  }

  async publishOccupancy(
    inside: number,
    zones: OccupancySample["zones"] = [],
    counts: Pick<OccupancySample, "headcount" | "attributed"> = {},
  ): Promise<void> {
    const sample = {
      time: new Date().toISOString(),
      centre: this.centreId,
      inside,
      zones,
      ...counts,
    };
    await this.client.publishAsync(
      topicFor(this.id, "occupancy"),
      encodeMessage("occupancy", sample),
      {
        qos: 1,
      },
    );
  }

  async publishStatus(
    doors = [{ id: this.doorId, lock: "locked" as const, contact: "closed" as const, alarm: null }],
  ): Promise<void> {
    const status = onlineStatus(this.centreId, { time: new Date().toISOString(), doors });
    await this.client.publishAsync(topicFor(this.id, "status"), encodeMessage("status", status), {
      qos: 1,
      retain: true,
    });
  }

  /** What the broker publishes for the gateway when it vanishes (its retained last will). */
  async publishOffline(): Promise<void> {
    await this.client.publishAsync(
      topicFor(this.id, "status"),
      encodeMessage("status", { state: "offline" }),
      { qos: 1, retain: true },
    );
  }

  async stop(): Promise<void> {
    await this.client.endAsync(true).catch(() => undefined);
  }
}

/** One Server-Sent Event as read off the wire. */
export interface SseEvent {
  readonly event: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read event data freely
  readonly data: any;
}

/**
 * Reads an SSE response (fetch body) the way a browser console does, and waits for the
 * events a test expects. Comments (heartbeats) are counted, not returned.
 */
export class SseReader {
  readonly events: SseEvent[] = [];
  comments = 0;
  ended = false;
  private buffer = "";
  private readonly done: Promise<void>;

  constructor(response: Response) {
    if (!response.body) throw new Error("no body");
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    this.done = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          this.buffer += value;
          this.parse();
        }
      } catch {
        // aborted by the test
      }
      this.ended = true;
    })();
  }

  /** Resolves with the first event (from `from` on) that matches. */
  async next(match: (event: SseEvent) => boolean, from = 0, timeoutMs = 5_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      if (this.ended) throw new Error("stream ended");
      if (Date.now() > deadline) throw new Error("no such event in time");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Resolves when the server ended the stream. */
  async end(timeoutMs = 5_000): Promise<void> {
    await Promise.race([
      this.done,
      new Promise((_, reject) => setTimeout(() => reject(new Error("still open")), timeoutMs)),
    ]);
  }

  private parse(): void {
    let cut = this.buffer.indexOf("\n\n");
    while (cut >= 0) {
      const block = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      cut = this.buffer.indexOf("\n\n");
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) this.comments += 1;
        else if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
      if (data.length > 0) this.events.push({ event, data: JSON.parse(data.join("\n")) });
    }
  }
}
