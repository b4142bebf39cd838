import { gzipSync } from "node:zlib";
import type { AvailabilityPage } from "../../../reservations/availability.js";

interface Rendered {
  readonly json: string;
  gzip?: Buffer;
}

/** Smaller answers gain nothing from compression (and one TCP segment holds them anyway). */
const GZIP_FROM_BYTES = 1024;

/**
 * The HTTP body of each availability page, made once per page. The AvailabilityCache hands
 * every caller of one query the same page object for a few seconds, so its JSON is rendered
 * once, and gzipped once for the clients that accept it (every browser does): a day of 50
 * desks is ~12 KB of JSON and ~1 KB gzipped, and writing it to the socket cost more than
 * computing it. Keyed weakly: a page leaves with its cache entry.
 */
export class RenderedPages {
  private readonly pages = new WeakMap<AvailabilityPage, Rendered>();

  body(
    page: AvailabilityPage,
    render: (page: AvailabilityPage) => unknown,
    acceptsGzip: boolean,
  ): { payload: string | Buffer; gzip: boolean } {
    let rendered = this.pages.get(page);
    if (rendered === undefined) {
      rendered = { json: JSON.stringify(render(page)) };
      this.pages.set(page, rendered);
    }
    if (!acceptsGzip || rendered.json.length < GZIP_FROM_BYTES) {
      return { payload: rendered.json, gzip: false };
    }
    rendered.gzip ??= gzipSync(rendered.json);
    return { payload: rendered.gzip, gzip: true };
  }
}

/**
 * RFC 9110 §12.5.3: gzip is acceptable unless its weight is 0 ("gzip;q=0"); "*" counts when
 * gzip is not named.
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let wildcard = false;
  for (const part of header.toLowerCase().split(",")) {
    const [coding = "", ...params] = part.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (coding.trim() === "gzip" || coding.trim() === "x-gzip") return weight > 0;
    if (coding.trim() === "*") wildcard = weight > 0;
  }
  return wildcard;
}
