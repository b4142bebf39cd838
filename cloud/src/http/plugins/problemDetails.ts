import type { FastifyError, FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { type FieldProblem, HttpProblem } from "../httpProblem.js";
import { problemBody, sendProblem } from "../problemReply.js";

/** Stable error codes of the service areas, and the HTTP status each one means. */
const statusByCode: Record<string, number> = {
  invalid: 400,
  "not-found": 404,
  forbidden: 403,
  conflict: 409,
  unavailable: 503,
};

interface CodedError extends Error {
  code?: unknown;
  field?: unknown;
  statusCode?: number;
  validation?: { instancePath: string; message?: string; params?: Record<string, unknown> }[];
  validationContext?: string;
}

function fieldOf(
  context: string | undefined,
  item: { instancePath: string; params?: Record<string, unknown> },
) {
  const path = item.instancePath.replace(/^\//, "");
  const missing =
    typeof item.params?.missingProperty === "string" ? item.params.missingProperty : "";
  const extra =
    typeof item.params?.additionalProperty === "string" ? item.params.additionalProperty : "";
  return [context ?? "body", path, missing || extra].filter(Boolean).join("/");
}

/**
 * Every error leaves as `application/problem+json` (RFC 9457) with the offending fields named.
 * A 5xx never shows its message: it is logged with the request id, and the client gets that id.
 */
export const problemDetails = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: CodedError, request, reply) => {
      let status = 500;
      let title = "Internal Server Error";
      let detail: string | undefined;
      let errors: readonly FieldProblem[] = [];

      if (error instanceof HttpProblem) {
        ({ status, title, errors } = error);
        detail = error.message;
      } else if (error.validation) {
        status = 400;
        title = "Bad Request";
        errors = error.validation.map((item) => ({
          field: fieldOf(error.validationContext, item),
          message: item.message ?? "is invalid",
        }));
        detail = errors.map((e) => `${e.field}: ${e.message}`).join("; ");
      } else if (typeof error.code === "string" && error.code in statusByCode) {
        status = statusByCode[error.code] ?? 500;
        title =
          error.code === "conflict"
            ? "Conflict"
            : status === 404
              ? "Not Found"
              : status === 403
                ? "Forbidden"
                : "Bad Request";
        detail = error.message;
        if (typeof error.field === "string")
          errors = [{ field: error.field, message: error.message }];
      } else if (
        typeof error.statusCode === "number" &&
        error.statusCode >= 400 &&
        error.statusCode < 500
      ) {
        // fastify's own client errors: malformed JSON, payload too large, unsupported type.
        status = error.statusCode;
        title = (error as FastifyError).code ?? "Bad Request";
        detail = error.message;
      }

      if (status >= 500) {
        // With its stack and the request id the client is told to quote; never the body.
        request.log.error(
          { err: error, method: request.method, route: request.routeOptions.url, status },
          "request failed",
        );
        detail = `internal error; quote request id ${request.id}`;
      }
      void sendProblem(reply, problemBody(status, detail, request.url, errors, title));
    });

    // Client errors are the client's business, but an operator asked about one (or watching a
    // flood of 429s) must find it by its request id. The route pattern, not the URL: a calendar
    // feed's URL holds its token.
    app.addHook("onResponse", async (request, reply) => {
      if (reply.statusCode < 400 || reply.statusCode >= 500) return;
      const level = reply.statusCode === 429 ? "warn" : "debug";
      request.log[level](
        { method: request.method, route: request.routeOptions.url, status: reply.statusCode },
        "request refused",
      );
    });

    app.setNotFoundHandler((request, reply) => {
      void sendProblem(
        reply,
        problemBody(404, `no route ${request.method} ${request.url.split("?")[0]}`, request.url),
      );
    });
  },
  { name: "problem-details" },
);
