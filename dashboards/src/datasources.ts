import type { DataSourceRef } from "@grafana/grafana-foundation-sdk/common";

/**
 * The two datasources every dashboard reads. Their uids are fixed so the generated dashboards
 * and the provisioning files agree without anyone picking a datasource by hand in Grafana.
 */
export const INFLUX_DATASOURCE_UID = "passerelle-influxdb";
export const PROMETHEUS_DATASOURCE_UID = "passerelle-prometheus";

export const influxDatasource: DataSourceRef = { type: "influxdb", uid: INFLUX_DATASOURCE_UID };
export const prometheusDatasource: DataSourceRef = {
  type: "prometheus",
  uid: PROMETHEUS_DATASOURCE_UID,
};
