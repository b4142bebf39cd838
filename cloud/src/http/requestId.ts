import type { IncomingMessage } from "node:http";
import { uuidv7 } from "@passerelle/protocol";

/** What a proxy's X-Request-Id may look like to be kept: short, printable, no spaces. */
const acceptableId = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id a problem body quotes and every log line of the request carries. A proxy's
 * X-Request-Id is kept when it looks like an id (so both logs name the same request); otherwise
 * a UUIDv7, unique across restarts (fastify's default counter starts again at req-1 on each
 * start, so a quoted id could name several requests).
 */
export function requestId(request: IncomingMessage): string {
  const given = request.headers["x-request-id"];
  if (typeof given === "string" && acceptableId.test(given)) return given;
  return uuidv7();
}
