import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import { allDashboards } from "../../src/dashboards/allDashboards.js";

export interface PanelTarget {
  readonly dashboard: string;
  readonly panel: Panel;
  readonly target: Record<string, unknown>;
}

function panelsOf(dashboard: Dashboard): Panel[] {
  const panels: Panel[] = [];
  for (const panel of dashboard.panels ?? []) {
    if (panel.type === "row") panels.push(...((panel as RowPanel).panels ?? []));
    else panels.push(panel as Panel);
  }
  return panels;
}

/** Every query of every dashboard, built from the code (so the helper's expectations exist). */
export function everyTarget(dashboards = allDashboards()): PanelTarget[] {
  return Object.entries(dashboards).flatMap(([file, dashboard]) =>
    panelsOf(dashboard).flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        dashboard: file,
        panel,
        target: target as unknown as Record<string, unknown>,
      })),
    ),
  );
}

export { panelsOf };
