import {
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { influxDatasource } from "../datasources.js";

/** $centre: the centre ids that have written occupancy; one at a time. */
export const CENTRE_VARIABLE_QUERY = 'SHOW TAG VALUES FROM "occupancy" WITH KEY = "centre"';

export function centreVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder("centre")
    .label("Centre")
    .datasource(influxDatasource)
    .query(CENTRE_VARIABLE_QUERY)
    .definition(CENTRE_VARIABLE_QUERY)
    .refresh(VariableRefresh.OnDashboardLoad)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(false)
    .includeAll(false);
}

/** Grafana expands $centre in a regex as the escaped id; anchored so c1 never matches c10. */
export const thisCentre = { tag: "centre", op: "=~", value: "^$centre$" } as const;
