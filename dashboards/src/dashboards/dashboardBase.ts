import { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";

/** Settings shared by every Passerelle dashboard: uid, tags, time zone of the viewer. */
export function passerelleDashboard(options: {
  uid: string;
  title: string;
  description: string;
  from: string;
}): DashboardBuilder {
  return new DashboardBuilder(options.title)
    .uid(options.uid)
    .description(options.description)
    .tags(["passerelle", "generated"])
    .timezone("browser")
    .time({ from: options.from, to: "now" })
    .refresh("1m")
    .readonly();
}
