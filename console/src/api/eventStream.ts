export interface StreamEvent {
  event: string;
  data: string;
  id?: string;
}

/** Splits a text/event-stream into events (WHATWG HTML §9.2.6), comments (heartbeats) dropped. */
export function parseEventBlock(block: string): StreamEvent | null {
  let event = "message";
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id") id = value;
  }
  if (data.length === 0) return null;
  return { event, data: data.join("\n"), ...(id === undefined ? {} : { id }) };
}

/**
 * Reads a Server-Sent Events stream with fetch() so the Authorization header can be sent
 * (EventSource cannot), and reconnects after a drop with a growing pause, until `signal`
 * aborts (the page was left). `onState` tells the page whether it is live.
 */
export async function followEventStream(options: {
  url: string;
  headers: () => Record<string, string>;
  signal: AbortSignal;
  onEvent: (event: StreamEvent) => void;
  onState?: (live: boolean) => void;
  /** The server refused the stream (not allowed, no such centre): no point in retrying. */
  onRefused?: (status: number) => void;
}): Promise<void> {
  let pause = 500;
  while (!options.signal.aborted) {
    try {
      const response = await fetch(options.url, {
        headers: { accept: "text/event-stream", ...options.headers() },
        signal: options.signal,
      });
      if ([401, 403, 404].includes(response.status)) {
        options.onState?.(false);
        options.onRefused?.(response.status);
        return;
      }
      if (!response.ok || !response.body) throw new Error(`stream ${response.status}`);
      options.onState?.(true);
      pause = 500;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (let gap = /\r?\n\r?\n/.exec(buffer); gap; gap = /\r?\n\r?\n/.exec(buffer)) {
          const event = parseEventBlock(buffer.slice(0, gap.index));
          buffer = buffer.slice(gap.index + gap[0].length);
          if (event) options.onEvent(event);
        }
      }
    } catch {
      // A dropped connection or a refused stream: retried below unless the page was left.
      if (options.signal.aborted) return;
    }
    options.onState?.(false);
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 15_000);
  }
}
