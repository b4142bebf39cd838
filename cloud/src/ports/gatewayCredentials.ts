/** A gateway as the broker and ingest know it: its id (also its broker username) and centre. */
export interface GatewayIdentity {
  readonly gatewayId: string;
  readonly centreId: string;
}

/**
 * Checks a gateway's broker credentials (a hash in the store). Async because it reads the store;
 * resolves null for an unknown, disabled or wrong-secret gateway, without saying which.
 */
export interface GatewayCredentialVerifier {
  verify(username: string, secret: string): Promise<GatewayIdentity | null>;
}
