import type { FastifyInstance } from "fastify";
import { StoreOccupancyHistory } from "../adapters/storeOccupancyHistory.js";
import { sealKeyFrom } from "../security/sealedSecret.js";
import { noAccountMail } from "./accountMailSettings.js";
import { tokenAuthenticator } from "./authentication.js";
import type { CloudApi, CloudServices } from "./cloudServices.js";
import { accessEventsRoutes } from "./routes/accessEvents/accessEventsRoutes.js";
import { invitationRoutes } from "./routes/accounts/invitationRoutes.js";
import { passwordRoutes } from "./routes/accounts/passwordRoutes.js";
import { secondFactorRoutes } from "./routes/accounts/secondFactorRoutes.js";
import { staffRoutes } from "./routes/accounts/staffRoutes.js";
import { alarmRoutes } from "./routes/alarms/alarmRoutes.js";
import { auditRoutes } from "./routes/audit/auditRoutes.js";
import { authRoutes } from "./routes/auth/authRoutes.js";
import { availabilityRoutes } from "./routes/availability/availabilityRoutes.js";
import { badgeRoutes } from "./routes/badges/badgeRoutes.js";
import { bookingRoutes } from "./routes/bookings/bookingRoutes.js";
import { recurringBookingRoutes } from "./routes/bookings/recurringBookingRoutes.js";
import { calendarRoutes } from "./routes/calendar/calendarRoutes.js";
import { centreRoutes } from "./routes/centres/centreRoutes.js";
import { doorOperationRoutes } from "./routes/doorOperations/doorOperationRoutes.js";
import { doorRoutes } from "./routes/doors/doorRoutes.js";
import { gatewayRoutes } from "./routes/gateways/gatewayRoutes.js";
import { hoursRoutes } from "./routes/hours/hoursRoutes.js";
import { memberImportRoutes } from "./routes/members/memberImportRoutes.js";
import { memberRoutes } from "./routes/members/memberRoutes.js";
import { occupancyHistoryRoutes } from "./routes/occupancy/occupancyHistoryRoutes.js";
import { occupancyRoutes } from "./routes/occupancy/occupancyRoutes.js";
import { passRoutes } from "./routes/passes/passRoutes.js";
import { resourceRoutes } from "./routes/resources/resourceRoutes.js";

/** API v1: authentication and the resource routes, one plugin per resource folder. */
export const cloudApi: CloudApi = {
  authenticate: (services: CloudServices) => tokenAuthenticator(services.deps, services.principals),
  routes: (services: CloudServices) => async (app: FastifyInstance) => {
    // TOTP keys are sealed with a key derived from the signing key (kept outside the database).
    const seal = sealKeyFrom(services.signingKey.privateKey, "totp v1");
    await app.register(authRoutes, { deps: services.deps, seal });
    await app.register(secondFactorRoutes, { deps: services.deps, seal });
    const mail = services.accountMail ?? noAccountMail;
    await app.register(invitationRoutes, { deps: services.deps, mail });
    await app.register(passwordRoutes, { deps: services.deps, mail });
    await app.register(staffRoutes, { deps: services.deps });
    await app.register(occupancyRoutes, {
      deps: services.deps,
      mqtt: services.mqtt,
      bus: services.bus,
    });
    await app.register(occupancyHistoryRoutes, {
      deps: services.deps,
      histories: services.occupancyHistories ?? [new StoreOccupancyHistory(services.deps)],
    });
    await app.register(accessEventsRoutes, { deps: services.deps });
    await app.register(availabilityRoutes, { availability: services.availability });
    await app.register(bookingRoutes, { deps: services.deps });
    await app.register(recurringBookingRoutes, { deps: services.deps });
    await app.register(calendarRoutes, { deps: services.deps });
    await app.register(auditRoutes, { deps: services.deps });
    await app.register(centreRoutes, { deps: services.deps });
    await app.register(resourceRoutes, { deps: services.deps });
    await app.register(doorRoutes, { deps: services.deps });
    await app.register(doorOperationRoutes, { deps: services.deps, mqtt: services.mqtt });
    await app.register(alarmRoutes, { deps: services.deps, bus: services.bus });
    await app.register(gatewayRoutes, {
      deps: services.deps,
      gatewayStatus: services.mqtt.gatewayStatus,
      signingKey: services.signingKey,
    });
    await app.register(memberRoutes, { deps: services.deps });
    await app.register(memberImportRoutes, { deps: services.deps });
    await app.register(passRoutes, { deps: services.deps });
    await app.register(badgeRoutes, { deps: services.deps, sunVerifier: services.sunVerifier });
    await app.register(hoursRoutes, { deps: services.deps });
  },
};
