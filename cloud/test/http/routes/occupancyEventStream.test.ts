import { EventEmitter } from "node:events";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { EventStream, EventStreams } from "../../../src/http/routes/occupancy/eventStream.js";
import { until } from "../../mocks/waitFor.js";
import { SseReader } from "./occupancyGateway.js";

/* The SSE writer on a bare fastify server with a short heartbeat (the routes use 15 s). */
describe("EventStream", () => {
  let app: FastifyInstance;
  const streams = new EventStreams();
  let opened: EventStream | undefined;

  async function serve(heartbeatMs: number): Promise<string> {
    app = Fastify();
    app.addHook("preClose", async () => streams.closeAll());
    app.get("/stream", async (_request, reply) => {
      opened = new EventStream(reply, heartbeatMs);
      streams.add(opened);
      opened.send("snapshot", { n: 1, text: "line one\nline two" });
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    if (typeof address !== "object" || address === null) throw new Error("no port");
    return `http://127.0.0.1:${address.port}/stream`;
  }

  afterEach(async () => {
    await app?.close();
    opened = undefined;
  });

  it("sends JSON events on one data line each, and heartbeat comments", async () => {
    const response = await fetch(await serve(20));
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toContain("no-cache");
    const sse = new SseReader(response);
    const first = await sse.next(() => true);
    expect(first).toEqual({ event: "snapshot", data: { n: 1, text: "line one\nline two" } });
    await until(() => sse.comments >= 2);
    opened?.send("snapshot", { n: 2 });
    await sse.next((e) => e.data.n === 2);
    expect(sse.ended).toBe(false);
  });

  it("notices the client leaving: the stream aborts and leaves the set", async () => {
    const controller = new AbortController();
    const response = await fetch(await serve(60_000), { signal: controller.signal });
    const sse = new SseReader(response);
    await sse.next(() => true);
    expect(streams.size).toBe(1);
    const stream = opened as EventStream;
    controller.abort();
    await until(() => stream.closed);
    expect(streams.size).toBe(0);
  });

  it("is ended by the server closing, and the client sees the end", async () => {
    const sse = new SseReader(await fetch(await serve(60_000)));
    await sse.next(() => true);
    await app.close();
    await sse.end();
    expect(opened?.closed).toBe(true);
  });
});

describe("EventStream with a reader that does not keep up", () => {
  /** A socket whose buffer is full: every write says "wait for drain". */
  function congestedReply() {
    const raw = Object.assign(new EventEmitter(), {
      written: [] as string[],
      writableEnded: false,
      writeHead: () => raw,
      write: (text: string) => {
        raw.written.push(text);
        return false;
      },
      end: () => {
        raw.writableEnded = true;
      },
    });
    return { raw, reply: { hijack: () => {}, raw } as unknown as FastifyReply };
  }

  it("keeps only the latest event per key until the socket drains", () => {
    const { raw, reply } = congestedReply();
    const stream = new EventStream(reply, 60_000);
    const before = raw.written.length; // the retry line made the socket congested
    for (let n = 0; n < 1_000; n += 1) {
      stream.send("centre", { centreId: "redu", n }, "redu");
      stream.send("centre", { centreId: "ciney", n }, "ciney");
    }
    expect(raw.written.length).toBe(before);
    raw.emit("drain");
    const sent = raw.written.slice(before);
    // After drain the first write congests the socket again; the other waits its turn.
    expect(sent).toEqual(['event: centre\ndata: {"centreId":"redu","n":999}\n\n']);
    raw.emit("drain");
    expect(raw.written.slice(before + 1)).toEqual([
      'event: centre\ndata: {"centreId":"ciney","n":999}\n\n',
    ]);
    stream.close();
    expect(raw.writableEnded).toBe(true);
  });
});
