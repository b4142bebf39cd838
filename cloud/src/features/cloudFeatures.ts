import type { SunVerifier } from "@passerelle/protocol";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { AccessEventStore } from "../adapters/accessEventStore.js";
import { StoreAccessRules } from "../adapters/storeAccessRules.js";
import { StoreBundleVersions } from "../adapters/storeBundleVersions.js";
import { StoreGatewayDirectory } from "../adapters/storeGatewayDirectory.js";
import { StoreOccupancyHistory } from "../adapters/storeOccupancyHistory.js";
import type { AuditLog } from "../audit/auditLog.js";
import type { CloudSigningKey } from "../bundles/signingKeyFile.js";
import type { CloudEventBus } from "../bus/cloudEvents.js";
import type { Feature } from "../bus/feature.js";
import { type BrokerMode, CloudMqtt } from "../cloudMqtt.js";
import { ClusterRelay } from "../cluster/clusterRelay.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import type { AccountMailSettings } from "../http/accountMailSettings.js";
import type { CloudApi, CloudServices } from "../http/cloudServices.js";
import { PrincipalCache } from "../http/principalCache.js";
import { AvailabilityCache } from "../reservations/availabilityCache.js";
import { InfluxOccupancyHistory } from "../timeseries/influxOccupancyHistory.js";
import { openPointQueue, type TimeSeriesConfig } from "../timeseries/timeSeriesConfig.js";
import { AlarmsFeature } from "./alarmsFeature.js";
import { AvailabilityCacheFeature } from "./availabilityCacheFeature.js";
import { HttpFeature } from "./httpFeature.js";
import { NoShowSweepFeature } from "./noShowSweepFeature.js";
import { PresenceSessionsFeature } from "./presenceSessionsFeature.js";
import { PrincipalCacheFeature } from "./principalCacheFeature.js";
import { TimeSeriesFeature } from "./timeSeriesFeature.js";

/*
 * THE LIST OF THE CLOUD'S FEATURES, in start order (server.ts stops them in reverse). Features
 * never call each other; they meet on the event bus (bus/cloudEvents.ts declares every event).
 * The domain services emit through their hooks (features/domainEvents.ts).
 *
 * | # | feature           | file                                   | listens to                                                        | emits                                                                  |
 * |---|-------------------|----------------------------------------|-------------------------------------------------------------------|------------------------------------------------------------------------|
 * | — | domain services   | domain/, reservations/ (domainEvents)  | —                                                                 | accessRules.changed, principals.changed, gatewayCredentials.revoked    |
 * | 1 | principalCache    | features/principalCacheFeature.ts      | principals.changed                                                | —                                                                      |
 * | — | clusterRelay      | cluster/clusterRelay.ts                | accessRules.changed, principals.changed,                          | the same marked `elsewhere`, events.committedElsewhere                 |
 * |   | (PostgreSQL only: | inserted 3rd, before mqtt)             | gatewayCredentials.revoked, events.committed (NOTIFY out)         | (from other instances' NOTIFY, docs/scale.md)                          |
 * | 2 | availabilityCache | features/availabilityCacheFeature.ts   | accessRules.changed                                               | —                                                                      |
 * | 3 | mqtt              | cloudMqtt.ts (broker, ingest, bundles) | accessRules.changed (bundle publisher),                           | events.committed, occupancy.changed, gateway.statusChanged,            |
 * |   |                   |                                        | gatewayCredentials.revoked (embedded broker disconnects),         | door.changed                                                           |
 * |   |                   |                                        | events.committed + gateway.statusChanged (door state board)       |                                                                        |
 * | 4 | presenceSessions  | features/presenceSessionsFeature.ts    | events.committed                                                  | —                                                                      |
 * | 5 | http              | features/httpFeature.ts                | per SSE stream: occupancy.changed, door.changed, events.committed | —                                                                      |
 * |   |                   |                                        | (a centre's), gateway.statusChanged (stale marks)                 |                                                                        |
 * | 6 | noShowSweep       | features/noShowSweepFeature.ts         | — (a timer)                                                       | (through the domain: accessRules.changed)                              |
 * | 3a| alarms            | features/alarmsFeature.ts              | door.changed, gateway.statusChanged, events.committed             | alarm.changed                                                          |
 * | * | timeSeries        | features/timeSeriesFeature.ts          | events.committed, occupancy.changed, gateway.statusChanged,       | — (points to InfluxDB through timeseries/pointQueue.ts)                |
 * |   | (when configured: | inserted 4th, before mqtt)             | door.changed; a once-a-minute timer                               |                                                                        |
 *
 * Why this order: the caches listen before anything can change; the MQTT side starts before the
 * sessions catch up (so no committed batch falls between catch-up and listening); HTTP opens
 * last, when everything it serves exists; stopping in reverse closes HTTP first and commits and
 * acks the events already received before the broker goes.
 */

export interface CloudFeatureInputs {
  readonly version: string;
  readonly http: {
    host: string;
    port: number;
    trustProxy?: boolean | string;
    metricsToken?: string;
  };
  readonly broker: BrokerMode;
  /** PostgreSQL: several instances may share it; the cluster relay keeps them in step. */
  readonly postgresUrl?: string;
  readonly baseTopic?: string;
  readonly noShowSweepMs: number;
  readonly api: CloudApi;
  readonly deps: ServiceDeps;
  readonly bus: CloudEventBus;
  readonly auditLog: AuditLog;
  readonly signingKey: CloudSigningKey;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly accountMail?: AccountMailSettings;
  /** Absent: no time series are written. */
  readonly timeSeries?: { readonly config: TimeSeriesConfig; readonly dataDir: string };
  /** Verifies enrolment SUNs; absent: NTAG 424 DNA cards cannot be enrolled from a SUN. */
  readonly sunVerifier?: SunVerifier;
}

export interface CloudFeatures {
  /** In start order. */
  readonly list: readonly Feature[];
  /** What the API and callers of startCloud read (built before any feature starts). */
  readonly services: CloudServices;
  readonly mqtt: CloudMqtt;
  readonly http: HttpFeature;
}

/**
 * The console's past occupancy: InfluxDB 1.x first where the cloud writes to it (the
 * gateways' head counts), the store's sessions when it fails or with the v2 client (no InfluxQL).
 */
function occupancyHistories(deps: ServiceDeps, config: TimeSeriesConfig | undefined) {
  const store = new StoreOccupancyHistory(deps);
  if (config?.client !== "v1") return [store];
  const { url, database, username, password } = config;
  return [
    new InfluxOccupancyHistory({
      url,
      database,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
    }),
    store,
  ];
}

export function cloudFeatures(inputs: CloudFeatureInputs): CloudFeatures {
  const { deps, bus, logger } = inputs;
  const { store, clock } = deps;
  const principals = new PrincipalCache();
  const availability = new AvailabilityCache(deps);
  const directory = new StoreGatewayDirectory(deps);
  const accessRules = new StoreAccessRules(store);
  const mqtt = new CloudMqtt({
    broker: inputs.broker,
    credentials: directory,
    gateways: directory,
    events: new AccessEventStore(store, clock, inputs.auditLog),
    accessRules,
    bundleVersions: new StoreBundleVersions(store, clock),
    exclusive: (name, work) => store.locks.exclusive(name, work),
    signingKey: inputs.signingKey,
    logger,
    metrics: inputs.registry,
    bus,
    ...(inputs.baseTopic ? { baseTopic: inputs.baseTopic } : {}),
  });
  const histories = occupancyHistories(deps, inputs.timeSeries?.config);
  const services: CloudServices = {
    deps,
    bus,
    mqtt,
    availability,
    signingKey: inputs.signingKey,
    principals,
    ...(inputs.accountMail === undefined ? {} : { accountMail: inputs.accountMail }),
    sunVerifier: inputs.sunVerifier ?? null,
    occupancyHistories: histories,
  };
  const cluster =
    inputs.postgresUrl === undefined
      ? undefined
      : new ClusterRelay({
          postgresUrl: inputs.postgresUrl,
          bus,
          logger,
          listCentres: () => accessRules.listCentres(),
        });
  const health: Record<string, () => Promise<"ok" | string>> = {
    broker: async () => mqtt.brokerHealth(),
    ...(cluster
      ? {
          cluster: async () =>
            cluster.isListening() ? "ok" : "not hearing the other instances' changes",
        }
      : {}),
  };
  const http = new HttpFeature(
    { version: inputs.version, ...inputs.http, logger: inputs.logger, health },
    inputs.api,
    services,
    store,
    inputs.registry,
  );
  const list: Feature[] = [
    new PrincipalCacheFeature(bus, principals),
    new AvailabilityCacheFeature(bus, availability),
    // Before mqtt: it hears the retained statuses replayed when the broker starts.
    new AlarmsFeature(bus, deps, inputs.accountMail ?? { mailer: null }),
    // Before mqtt: every change and committed batch of this instance is announced.
    ...(cluster ? [cluster] : []),
    mqtt,
    new PresenceSessionsFeature(bus, deps),
    http,
    new NoShowSweepFeature(deps, inputs.noShowSweepMs, logger),
  ];
  if (inputs.timeSeries !== undefined) {
    const { config, dataDir } = inputs.timeSeries;
    const queue = openPointQueue(config, dataDir, logger, inputs.registry);
    // Before mqtt: it listens before the first committed batch or status can be emitted.
    list.splice(3, 0, new TimeSeriesFeature(bus, deps, queue, logger, 60_000, histories));
  }
  return { list, services, mqtt, http };
}
