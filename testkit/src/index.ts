export { findExecutable, findLocalBinaries, type LocalBinaries } from "./binaries.js";
export { type Env, probeDocker } from "./dockerProbe.js";
export { TestkitError, type TestkitErrorCode } from "./errors.js";
export { freePort, freePorts } from "./freePort.js";
export { influxConfig } from "./influxConfig.js";
export { mosquittoConfig } from "./mosquittoConfig.js";
export { mosquittoPasswordHash, writeMosquittoPasswordEntry } from "./mosquittoPassword.js";
export {
  defaultDeps,
  type ProvideDeps,
  provideRestartable,
  provideService,
  type RestartableProvision,
  type ServiceProvision,
  serviceOf,
  startInflux,
  startMosquitto,
  startPostgres,
  startVictoriaMetrics,
} from "./provideService.js";
export {
  DEBIAN_PACKAGES,
  ENV_URL_VARIABLES,
  isCi,
  planService,
  type ServicePlan,
} from "./serviceAvailability.js";
export type {
  InfluxService,
  MosquittoOptions,
  MosquittoService,
  PostgresService,
  Restartable,
  RunningService,
  ServiceKind,
  ServiceSource,
  VictoriaMetricsService,
} from "./types.js";
