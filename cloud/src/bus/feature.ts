/**
 * One part of the running cloud (zigbee2mqtt's "extensions"): started in list order by
 * server.ts, stopped in reverse. A feature never calls another feature: it subscribes to the
 * event bus in start() (with itself as the owner) and emits there; server.ts removes its
 * listeners after stop(). The list and what each listens to: features/cloudFeatures.ts.
 */
export interface Feature {
  /** Short and stable: it names the feature in logs and in the bus's listener errors. */
  readonly name: string;
  start(): Promise<void> | void;
  /** Undoes start(); also called after a failed start of a later feature. */
  stop(): Promise<void> | void;
}
