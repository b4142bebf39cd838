/** Where a running service came from, in the order the testkit tries them. */
export type ServiceSource = "env" | "testcontainers" | "local-binary";

export type ServiceKind = "mosquitto" | "postgres" | "influx" | "victoriaMetrics";

export interface RunningService {
  /** mqtt://host:port, postgresql://…/database or http://host:port. */
  readonly url: string;
  readonly source: ServiceSource;
  /** Idempotent; resolves once the process or container is gone and its files are removed. */
  stop(): Promise<void>;
}

/**
 * A server the testkit started from a local binary, which a test can stop and start again on
 * the same port with the same files (outage tests: clients must notice, wait and come back).
 */
export interface Restartable {
  /** Stops the server process (a clean shutdown); its port, data and config stay reserved. */
  halt(): Promise<void>;
  /** Starts it again on the same port and files; resolves once it accepts connections. */
  resume(): Promise<void>;
}

export interface MosquittoService extends RunningService {
  readonly host: string;
  readonly port: number;
  /**
   * Makes Mosquitto re-read its password file and ACL (SIGHUP), as an operator does after
   * changing a gateway's entry. Only for a broker the testkit started; undefined for one given
   * by URL, which the testkit does not own.
   */
  readonly reload?: () => Promise<void>;
  /** Local binary only: see `provideRestartable`. */
  readonly restartable?: Restartable;
}

export interface PostgresService extends RunningService {
  /** The database this caller owns; fresh and empty on start. */
  readonly database: string;
  /** Local binary only: see `provideRestartable`. */
  readonly restartable?: Restartable;
}

export type InfluxService = RunningService;

/** http://host:port: /api/v2/write (Influx line protocol) in, /api/v1/export out. */
export type VictoriaMetricsService = RunningService;

export interface MosquittoOptions {
  /** Mosquitto password file; when given, anonymous clients are refused. */
  readonly passwordFile?: string;
  /** Mosquitto ACL file (e.g. the project's deploy/ ACL). */
  readonly aclFile?: string;
  /**
   * Listen on this loopback port instead of a random one: restarts a broker where its clients
   * expect it (broker-outage tests). Local binary only.
   */
  readonly port?: number;
  /** Raw lines appended to the generated mosquitto.conf. */
  readonly extraConfig?: readonly string[];
}

export interface ServiceMap {
  mosquitto: MosquittoService;
  postgres: PostgresService;
  influx: InfluxService;
  victoriaMetrics: VictoriaMetricsService;
}

export interface ServiceOptionsMap {
  mosquitto: MosquittoOptions;
  postgres: Record<string, never>;
  influx: Record<string, never>;
  victoriaMetrics: Record<string, never>;
}
