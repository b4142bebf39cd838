/*
 * The time-series port: what the cloud writes to InfluxDB (docs/dashboards.md "Measurements").
 * Kept at the bottom so the features and the backfill do not import a client library.
 */

/** A field is an integer (line protocol `i`) or a float; the type is part of the schema. */
export type FieldValue = { readonly int: number } | { readonly float: number };

export interface TimeSeriesPoint {
  readonly measurement: string;
  /** Ids and small vocabularies only: never a member id, a badge or a credential. */
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, FieldValue>>;
  /** Epoch ms: the same series and time overwrite, which makes re-writes idempotent. */
  readonly timeMs: number;
}

/**
 * One write of one batch to the database. Resolves once the database accepted it; rejects with
 * a TimeSeriesWriteError saying whether trying again can help.
 */
export interface TimeSeriesWriter {
  readonly name: string;
  write(points: readonly TimeSeriesPoint[]): Promise<void>;
  close?(): Promise<void>;
}

/**
 * `rejected`: the database refused the points themselves (HTTP 4xx: a bad point, a type
 * conflict); sending them again would be refused again. Otherwise (down, 5xx, timeout) it can.
 */
export class TimeSeriesWriteError extends Error {
  constructor(
    message: string,
    readonly rejected: boolean,
  ) {
    super(message);
    this.name = "TimeSeriesWriteError";
  }
}

export const int = (value: number): FieldValue => ({ int: Math.round(value) });
export const float = (value: number): FieldValue => ({ float: value });
