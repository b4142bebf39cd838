import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { centreDashboard } from "./centreDashboard.js";
import { cloudDashboard } from "./cloudDashboard.js";
import { doorsDashboard } from "./doorsDashboard.js";
import { networkDashboard } from "./networkDashboard.js";

/** Every dashboard, by the file name it is written to under deploy/grafana/dashboards/. */
export function allDashboards(): Record<string, Dashboard> {
  return {
    "network.json": networkDashboard(),
    "centre.json": centreDashboard(),
    "doors-and-gateways.json": doorsDashboard(),
    "cloud-service.json": cloudDashboard(),
  };
}
