import type { SunVerifier } from "@passerelle/protocol";
import type { FastifyInstance } from "fastify";
import type { GatewayCommandSender } from "../bundles/commandPublisher.js";
import type { CloudSigningKey } from "../bundles/signingKeyFile.js";
import type { CloudEventBus } from "../bus/cloudEvents.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import type { GatewayIngest } from "../ingest/gatewayIngest.js";
import type { DoorStateBoard } from "../occupancy/doorStateBoard.js";
import type { GatewayStatusBoard } from "../occupancy/gatewayStatusBoard.js";
import type { LiveOccupancy } from "../occupancy/liveOccupancy.js";
import type { OccupancyHistory } from "../ports/occupancyHistory.js";
import type { AvailabilityCache } from "../reservations/availabilityCache.js";
import type { AccountMailSettings } from "./accountMailSettings.js";
import type { Authenticate } from "./plugins/accessControl.js";
import type { PrincipalCache } from "./principalCache.js";

/** The MQTT side's in-memory state as the API reads it (the CloudMqtt feature holds it). */
export interface LiveBoards {
  readonly occupancy: LiveOccupancy;
  readonly gatewayStatus: GatewayStatusBoard;
  readonly doors: DoorStateBoard;
  /** The ingest, whose "committed" events reach the bus as events.committed. */
  readonly ingest: GatewayIngest;
  /** Signed commands to the gateways (remote unlock). */
  readonly commands: GatewayCommandSender;
}

/** What the HTTP API needs from the running cloud, for the routes module to register. */
export interface CloudServices {
  deps: ServiceDeps;
  /** Live changes (occupancy, doors, committed events) for the SSE streams. */
  bus: CloudEventBus;
  mqtt: LiveBoards;
  availability: AvailabilityCache;
  signingKey: CloudSigningKey;
  /** Bearer token → principal; cleared by every committed change to logins, roles or tokens. */
  principals: PrincipalCache;
  /** How invitation and reset links are e-mailed; none configured: links shown only. */
  accountMail?: AccountMailSettings;
  /** The network's SUN verification set, for enrolling NTAG 424 DNA cards; null: none given. */
  sunVerifier: SunVerifier | null;
  /** Past occupancy, in order of preference (InfluxDB where configured); absent: the store. */
  occupancyHistories?: readonly OccupancyHistory[];
}

export interface CloudApi {
  authenticate(services: CloudServices): Authenticate;
  routes(services: CloudServices): (app: FastifyInstance) => Promise<void>;
}
