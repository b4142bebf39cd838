import { verifyGatewayCredentials } from "../domain/gateways.js";
import type { ServiceDeps } from "../domain/serviceDeps.js";
import type { GatewayRegistry } from "../ports/eventSink.js";
import type { GatewayCredentialVerifier, GatewayIdentity } from "../ports/gatewayCredentials.js";

/**
 * Gateways as the broker and the ingest see them: credentials checked against the scrypt hash
 * in the store (unknown, disabled and wrong secret all look alike), and a registry lookup.
 */
export class StoreGatewayDirectory implements GatewayCredentialVerifier, GatewayRegistry {
  constructor(private readonly deps: ServiceDeps) {}

  async verify(username: string, secret: string): Promise<GatewayIdentity | null> {
    const gateway = await verifyGatewayCredentials(this.deps, username, secret);
    return gateway === undefined ? null : { gatewayId: gateway.id, centreId: gateway.centreId };
  }

  async lookup(gatewayId: string): Promise<GatewayIdentity | null> {
    const row = await this.deps.store.db
      .selectFrom("gateways")
      .select(["id", "centre_id"])
      .where("id", "=", gatewayId)
      .where("disabled_at", "is", null)
      .executeTakeFirst();
    return row === undefined ? null : { gatewayId: row.id, centreId: row.centre_id };
  }
}
