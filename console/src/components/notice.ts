import { ApiError } from "../api/apiError.js";
import { h, replaceChildren } from "../dom.js";
import { t } from "../i18n/i18n.js";

/** The text a person reads for a failed call: the server's detail, or a plain fallback. */
export function describeError(error: unknown): string {
  if (typeof error === "string") return error;
  if (error instanceof ApiError) {
    if (error.status === 0) return t("error.network");
    if (error.status === 404) return t("error.notFound");
    if (error.status === 403) return t("error.forbidden");
    const fields = error.fields.map((f) => `${f.field}: ${f.message}`).join("; ");
    return [error.detail || error.title, fields && fields !== error.detail ? fields : ""]
      .filter(Boolean)
      .join(" — ");
  }
  return t("error.unexpected");
}

/**
 * A message region read out by screen readers: polite for outcomes, assertive for errors.
 * Both regions exist from the start, so assistive technology notices their changes.
 */
export function notice() {
  const status = h("p", { role: "status", class: "notice" });
  const alert = h("p", { role: "alert", class: "notice error" });
  return {
    element: h("div", { class: "notices" }, status, alert),
    ok(text: string) {
      replaceChildren(alert);
      replaceChildren(status, text);
    },
    error(error: unknown) {
      replaceChildren(status);
      replaceChildren(alert, describeError(error));
    },
    clear() {
      replaceChildren(status);
      replaceChildren(alert);
    },
  };
}

/** A 404 from a route this server does not have yet reads as "not available", not "not found". */
export function unavailableOr(error: unknown): unknown {
  return error instanceof ApiError && error.status === 404 ? t("reports.unavailable") : error;
}
