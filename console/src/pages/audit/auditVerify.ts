import type { AuditVerificationView } from "@passerelle/cloud/api-types";
import type { ApiClient } from "../../api/client.js";
import { button } from "../../components/fields.js";
import { describeError, notice } from "../../components/notice.js";
import { h, replaceChildren } from "../../dom.js";
import { formatNumber } from "../../format.js";
import { t } from "../../i18n/i18n.js";
import { codeText } from "../../words/codeWords.js";

/**
 * "Verify the chain": the cloud walks the whole audit chain (POST /audit/verify) and names the
 * first broken link, in words. The coordinator's alone: it reads every centre's entries.
 */
export function auditVerifyPanel(api: ApiClient): HTMLElement {
  const result = h("div", { "data-testid": "audit-verdict" });
  const progress = notice();
  const verify = button(t("audit.verify"), () => void run());

  async function run() {
    verify.disabled = true;
    replaceChildren(result);
    progress.ok(t("audit.verifying"));
    try {
      const verdict = await api.post<AuditVerificationView>("/audit/verify", {});
      progress.clear();
      if (verdict.ok) {
        replaceChildren(
          result,
          h(
            "p",
            { class: "badge-state ok", role: "status" },
            `✓ ${t("audit.intact", { count: formatNumber(verdict.checked) })}`,
          ),
          // A 64-digit fingerprint breaks anywhere rather than widen a phone's page.
          h("p", { class: "hint fingerprint" }, t("audit.lastHash", { hash: verdict.lastHash })),
        );
      } else {
        const broken = verdict.firstBroken;
        replaceChildren(
          result,
          h(
            "p",
            { class: "badge-state bad", role: "alert" },
            `✕ ${t("audit.broken", {
              id: broken?.id ?? "?",
              why: codeText("auditBroken", broken?.reason),
              count: formatNumber(verdict.checked),
            })}`,
          ),
        );
      }
    } catch (error) {
      progress.clear();
      replaceChildren(result, h("p", { role: "alert" }, describeError(error)));
    } finally {
      verify.disabled = false;
    }
  }

  return h(
    "section",
    { class: "card", "aria-labelledby": "audit-verify-h" },
    h("h2", { id: "audit-verify-h" }, t("audit.verifyTitle")),
    h("p", { class: "hint" }, t("audit.verifyIntro")),
    verify,
    progress.element,
    result,
  );
}
