import { backfillTimeSeries } from "../../timeseries/backfill.js";
import { InfluxV1Writer } from "../../timeseries/influxV1Writer.js";
import { timeSeriesWriter } from "../../timeseries/timeSeriesConfig.js";
import { UsageError } from "../cliIo.js";
import { type CliCommand, str } from "../command.js";
import { serveParseOptions, serveUsage, timeSeriesOptions } from "../serveOptions.js";
import { cliDeps, openCliStore, storeArgs, storeOptions, storeUsage } from "../storeArgs.js";

const influxOptionNames = [
  "influx-url",
  "influx-client",
  "influx-db",
  "influx-username",
  "influx-org",
  "influx-bucket",
];

/** A day ("2026-11-23", UTC midnight) or an instant with its offset. */
function instant(name: string, text: string | undefined): number {
  if (text === undefined) throw new UsageError(`--${name} is required`);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new UsageError(`--${name}: a date or an ISO time, not "${text}"`);
  return ms;
}

/** `cloud backfill-timeseries`: rebuilds a period's series from the store (docs/dashboards.md). */
export const backfillTimeSeriesCommand: CliCommand = {
  name: "backfill-timeseries",
  summary: "rewrite a period's door_event, bookings and presence_day series from the store",
  help: [
    ...storeUsage,
    "  --from T              start of the period: 2026-11-01 (UTC midnight) or an ISO time",
    "  --to T                end of the period (excluded)",
    ...serveUsage.filter(
      (line) => /--influx|^\s{20,}/.test(line) && !/--(http|broker|trust)/.test(line),
    ),
    "Idempotent: a point has the same series and time as the live writer's, so it overwrites.",
  ],
  options: {
    ...storeOptions,
    from: { type: "string" },
    to: { type: "string" },
    ...Object.fromEntries(influxOptionNames.map((name) => [name, serveParseOptions[name]])),
  },
  async run(values, io) {
    const fromMs = instant("from", str(values, "from"));
    const toMs = instant("to", str(values, "to"));
    if (toMs <= fromMs) throw new UsageError("--to must be after --from");
    const problems: string[] = [];
    const config = timeSeriesOptions(values, io.env, problems);
    if (problems.length > 0) throw new UsageError(problems.join("\n  "));
    if (config === undefined)
      throw new UsageError("--influx-url (or PASSERELLE_INFLUX_URL) is required");
    const writer = timeSeriesWriter(config);
    if (writer instanceof InfluxV1Writer) await writer.createDatabase();
    const store = await openCliStore(storeArgs(values, io.env));
    try {
      const result = await backfillTimeSeries(cliDeps(store), writer, { fromMs, toMs });
      io.out(
        `written ${result.doorEvents} door_event, ${result.bookingHours} bookings and ${result.presenceDays} presence_day points for ${new Date(fromMs).toISOString()} – ${new Date(toMs).toISOString()}`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
