import type { CentreView } from "@passerelle/cloud/api-types";
import { field, select } from "../../components/fields.js";
import { t } from "../../i18n/i18n.js";

/** A centre picker for staff pages; remembers the choice in the address (?centre=). */
export function centreChooser(
  centres: readonly CentreView[],
  chosen: string,
  onChange: (centreId: string) => void,
  options: { all?: boolean } = {},
) {
  const control = select(
    [
      ...(options.all ? [{ value: "", label: t("common.all") }] : []),
      ...centres.map((c) => ({ value: c.id, label: c.name })),
    ],
    { name: "centre" },
    chosen,
  );
  control.addEventListener("change", () => onChange(control.value));
  return { control, element: field(t("common.centre"), control) };
}
