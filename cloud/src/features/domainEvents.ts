import type { AuditLog } from "../audit/auditLog.js";
import type { CloudEventBus } from "../bus/cloudEvents.js";
import type { Clock, DomainHooks } from "../domain/serviceDeps.js";

/**
 * The domain services' hooks on the running cloud: each after-commit notification becomes a bus
 * event (accessRules.changed, principals.changed, gatewayCredentials.revoked), so the services
 * know no feature and the features know no service. `audit` stays a direct call: it runs inside
 * the change's transaction, which an event listener could not join.
 */
export function domainEvents(bus: CloudEventBus, auditLog: AuditLog, clock: Clock): DomainHooks {
  return {
    onAccessRulesChanged: (centreIds) => bus.emit("accessRules.changed", { centreIds }),
    audit: auditLog.recordChange,
    onPrincipalsChanged: () => bus.emit("principals.changed", { at: clock.now() }),
    onGatewayCredentialsRevoked: (gatewayIds) =>
      bus.emit("gatewayCredentials.revoked", { gatewayIds }),
  };
}
