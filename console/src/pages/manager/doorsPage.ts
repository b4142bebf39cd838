import type { DoorView, GatewayView, ResourceView } from "@passerelle/cloud/api-types";
import { Directory } from "../../api/directory.js";
import { button, field, input, select } from "../../components/fields.js";
import { notice } from "../../components/notice.js";
import { dataTable } from "../../components/table.js";
import { h, replaceChildren } from "../../dom.js";
import { t } from "../../i18n/i18n.js";
import type { PageContext, PageDefinition } from "../../page.js";
import { centreChooser } from "./centreChooser.js";
import { gatewayAdminSection } from "./gatewayAdminSection.js";
import { lockdownCard } from "./lockdownCard.js";

const exitKinds = ["exit-button", "exit-reader", "free-egress"] as const;
const directions = ["both", "in", "out"] as const;
/** The cloud's ceiling for a remote unlock (cloud/src/domain/remoteUnlock.ts). */
const maxUnlockSeconds = 60;

/**
 * A centre's doors and gateways, for its managers and the coordinator: the lockdown switch,
 * each door with its remote unlock, the door form (add or edit: zones, exit kind, held-open
 * time, gateway) and the gateways' health, provisioning and secrets.
 */
async function render(context: PageContext): Promise<Node> {
  const directory = new Directory(context.api);
  const centres = await directory.staffCentres(context.me);
  let centreId = context.query.get("centre") ?? centres[0]?.id ?? "";
  const messages = notice();
  const body = h("div");

  async function show() {
    const centre = centres.find((c) => c.id === centreId);
    const zone = centre?.timeZone ?? "Europe/Brussels";
    const base = `/centres/${encodeURIComponent(centreId)}`;
    const [doors, gateways, resources] = await Promise.all([
      context.api.all<DoorView>(`${base}/doors`),
      context.api.all<GatewayView>(`${base}/gateways`),
      context.api.all<ResourceView>(`${base}/resources`),
    ]);
    const gatewayName = new Map(gateways.map((g) => [g.id, g.name]));
    const resourceName = new Map(resources.map((r) => [r.id, r.name]));

    const unlockCell = (door: DoorView) => {
      if (door.gatewayId === null) return h("span", { class: "hint" }, t("doors.noGateway"));
      const seconds = input({
        type: "number",
        name: "seconds",
        min: 1,
        max: maxUnlockSeconds,
        value: 5,
        required: true,
        class: "short",
      });
      const reason = input({ name: "reason", required: true, maxlength: 500 });
      return h(
        "form",
        {
          class: "inline-form",
          "aria-label": t("doors.unlockNamed", { name: door.name }),
          onsubmit: async (event: Event) => {
            event.preventDefault();
            try {
              await context.api.post(`/doors/${encodeURIComponent(door.id)}/remote-unlock`, {
                seconds: Number(seconds.value),
                reason: reason.value.trim(),
              });
              messages.ok(t("doors.unlocked", { name: door.name, seconds: seconds.value }));
              reason.value = "";
            } catch (error) {
              messages.error(error);
            }
          },
        },
        field(t("doors.seconds"), seconds, t("doors.secondsHint", { max: maxUnlockSeconds })),
        field(t("doors.reason"), reason),
        h("button", { type: "submit" }, t("doors.unlock")),
      );
    };

    // One form adds a door, or edits the door chosen with its "Edit" button.
    let editing: DoorView | null = null;
    const name = input({ name: "doorName", required: true, maxlength: 200 });
    const direction = select(
      directions.map((d) => ({ value: d, label: t(`doors.direction.${d}`) })),
      { name: "direction" },
    );
    const exitKind = select(
      exitKinds.map((k) => ({ value: k, label: t(`doors.exitKind.${k}`) })),
      { name: "exitKind" },
    );
    const heldOpen = input({ type: "number", name: "heldOpen", min: 1, max: 3600 });
    const gateway = select(
      [
        { value: "", label: t("doors.noGateway") },
        ...gateways.map((g) => ({ value: g.id, label: g.name })),
      ],
      { name: "gateway" },
    );
    const zones = select(
      resources.map((r) => ({ value: r.id, label: r.name })),
      { name: "zones", multiple: true, size: Math.min(6, Math.max(2, resources.length)) },
    );
    const formTitle = h("h2", { id: "door-form-heading" }, t("doors.add"));
    const submit = h("button", { type: "submit" }, t("doors.add"));
    const fill = (door: DoorView | null) => {
      editing = door;
      name.value = door?.name ?? "";
      direction.value = door?.direction ?? "both";
      exitKind.value = door?.exitKind ?? "exit-button";
      heldOpen.value = door?.heldOpenSeconds == null ? "" : String(door.heldOpenSeconds);
      gateway.value = door?.gatewayId ?? "";
      for (const option of zones.options)
        option.selected = door?.resourceIds.includes(option.value) ?? false;
      const label = door ? t("doors.editNamed", { name: door.name }) : t("doors.add");
      replaceChildren(formTitle, label);
      replaceChildren(submit, door ? t("common.save") : t("doors.add"));
    };
    const form = h(
      "form",
      {
        class: "card filters",
        "aria-labelledby": "door-form-heading",
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const fields = {
            name: name.value.trim(),
            direction: direction.value,
            exitKind: exitKind.value,
            heldOpenSeconds: heldOpen.value === "" ? null : Number(heldOpen.value),
            gatewayId: gateway.value === "" ? null : gateway.value,
            resourceIds: [...zones.selectedOptions].map((o) => o.value),
          };
          try {
            if (editing)
              await context.api.patch(`/doors/${encodeURIComponent(editing.id)}`, fields);
            else await context.api.post(`${base}/doors`, fields);
            messages.ok(t("doors.saved", { name: fields.name }));
            await show();
          } catch (error) {
            messages.error(error);
          }
        },
      },
      field(t("common.name"), name),
      field(t("doors.directionLabel"), direction),
      field(t("doors.exitKindLabel"), exitKind, t("doors.exitKindHint")),
      field(t("doors.heldOpen"), heldOpen, t("doors.heldOpenHint")),
      field(t("doors.gateway"), gateway),
      field(t("doors.zones"), zones, t("doors.zonesHint")),
      submit,
    );

    const admin = gatewayAdminSection(context.api, centreId, zone, (added) => {
      gatewayName.set(added.id, added.name);
      gateway.append(h("option", { value: added.id }, added.name));
    });
    await admin.load();
    replaceChildren(
      body,
      await lockdownCard(context.api, centreId, messages),
      dataTable(
        t("doors.caption"),
        [
          { header: t("common.name"), cell: (d) => d.name },
          {
            header: t("doors.gateway"),
            cell: (d) => (d.gatewayId ? (gatewayName.get(d.gatewayId) ?? d.gatewayId) : "—"),
          },
          { header: t("doors.exitKindLabel"), cell: (d) => t(`doors.exitKind.${d.exitKind}`) },
          {
            header: t("doors.heldOpen"),
            cell: (d) =>
              d.heldOpenSeconds === null
                ? t("doors.heldOpenDefault")
                : t("doors.heldOpenValue", { seconds: d.heldOpenSeconds }),
          },
          {
            header: t("doors.zones"),
            cell: (d) => d.resourceIds.map((id) => resourceName.get(id) ?? id).join(", ") || "—",
          },
          { header: t("doors.remoteUnlock"), cell: unlockCell },
          {
            header: t("bookings.actions"),
            cell: (d) =>
              button(
                t("doors.edit"),
                () => {
                  fill(d);
                  name.focus();
                },
                { "aria-label": t("doors.editNamed", { name: d.name }) },
              ),
          },
        ],
        doors,
        { "data-testid": "doors" },
      ),
      formTitle,
      form,
      admin.element,
    );
    fill(null);
  }

  const chooser = centreChooser(centres, centreId, (next) => {
    centreId = next;
    history.replaceState(null, "", `/doors?centre=${encodeURIComponent(next)}`);
    void show().catch((error) => messages.error(error));
  });
  await show().catch((error) => messages.error(error));
  return h("div", {}, h("div", { class: "filters" }, chooser.element), messages.element, body);
}

export const doorsPage: PageDefinition = {
  path: "/doors",
  title: "doors.title",
  roles: ["manager", "coordinator"],
  render,
};
