import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { FieldProblem } from "./httpProblem.js";

/** The RFC 9457 body every error answer carries (docs/api.md "Conventions"). */
export interface ProblemBody {
  type: "about:blank";
  title: string;
  status: number;
  detail?: string;
  instance: string;
  errors: readonly FieldProblem[];
}

export function problemBody(
  status: number,
  detail: string | undefined,
  instance: string,
  errors: readonly FieldProblem[] = [],
  title: string = STATUS_CODES[status] ?? "Error",
): ProblemBody {
  return {
    type: "about:blank",
    title,
    status,
    ...(detail === undefined ? {} : { detail }),
    instance,
    errors,
  };
}

export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.status(body.status).type("application/problem+json").send(body);
}

/**
 * fastify's `frameworkErrors`: errors met while routing, before any hook or handler runs —
 * malformed percent-encoding in the path (400) and a path parameter longer than
 * `maxParamLength` (414). Its default answer is plain JSON; ours is problem+json like the rest.
 */
export function frameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  answerRoutingError(error.code === "FST_ERR_MAX_PARAM_LENGTH", request, reply);
}

/** fastify's default `maxParamLength`: the router refuses a longer path parameter. */
export const maxPathParamLength = 100;

/**
 * A service path (the API) that reached a catch-all route (the console's `/*`) only because one
 * of its segments was too long for its own route's parameter: the same 414 the router gives when
 * no catch-all exists. False when the path is not that case.
 */
export function refuseTooLongSegment(request: FastifyRequest, reply: FastifyReply): boolean {
  const path = (request.raw.url ?? "/").split("?")[0] ?? "/";
  if (!path.split("/").some((segment) => segment.length > maxPathParamLength)) return false;
  answerRoutingError(true, request, reply);
  return true;
}

function answerRoutingError(tooLong: boolean, request: FastifyRequest, reply: FastifyReply): void {
  const status = tooLong ? 414 : 400;
  const detail = tooLong
    ? "a path segment is too long"
    : "the path is not valid percent-encoded UTF-8";
  // The raw URL is what was refused: do not echo it (it may be huge or malformed).
  void sendProblem(reply, problemBody(status, detail, urlOfRequest(request)));
}

function urlOfRequest(request: FastifyRequest): string {
  const url = request.raw.url ?? "/";
  return url.length > 256 ? `${url.slice(0, 256)}…` : url;
}

/**
 * The HTTP server's `clientError`: a request node itself refused before fastify saw it (headers
 * or URL over the 16 KiB header limit: 431; a request line it cannot parse: 400; a client too
 * slow: 408). Written straight on the socket, as problem+json.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const status =
    error.code === "HPE_HEADER_OVERFLOW"
      ? 431
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? 408
        : 400;
  const detail =
    status === 431
      ? "the request line and headers exceed 16 KiB"
      : status === 408
        ? "the request took too long to arrive"
        : "the request is not valid HTTP/1.1";
  const body = JSON.stringify(problemBody(status, detail, "/"));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
