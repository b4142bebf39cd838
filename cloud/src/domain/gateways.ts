import {
  generateSecret,
  hashGeneratedSecret,
  isSlowSecretHash,
  verifyGeneratedSecret,
} from "../security/secrets.js";
import type { GatewaysTable } from "../store/database.js";
import type { Executor } from "../store/openStore.js";
import { loadCentre } from "./centres.js";
import { commitChange } from "./commitChange.js";
import { conflict, notFound } from "./domainError.js";
import type { Actor, ServiceDeps } from "./serviceDeps.js";
import { slugId, text } from "./validation.js";

/** A door controller. It logs into the broker as username = its id, password = its secret. */
export interface Gateway {
  readonly id: string;
  readonly centreId: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly secretRotatedAt: Date;
  readonly disabledAt: Date | null;
}

/** Returned once, at provisioning or rotation: the secret is never stored nor shown again. */
export interface GatewayCredentials {
  readonly gateway: Gateway;
  readonly username: string;
  readonly secret: string;
}

function gatewayFromRow(row: GatewaysTable): Gateway {
  return {
    id: row.id,
    centreId: row.centre_id,
    name: row.name,
    createdAt: new Date(row.created_at),
    secretRotatedAt: new Date(row.secret_rotated_at),
    disabledAt: row.disabled_at === null ? null : new Date(row.disabled_at),
  };
}

async function loadGatewayRow(db: Executor, id: string): Promise<GatewaysTable> {
  const row = await db.selectFrom("gateways").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined) throw notFound("gateway", id, "gatewayId");
  return row;
}

export async function getGateway(deps: ServiceDeps, id: string): Promise<Gateway> {
  return gatewayFromRow(await loadGatewayRow(deps.store.db, id));
}

export async function listGateways(
  deps: ServiceDeps,
  filter: { centreId?: string } = {},
): Promise<Gateway[]> {
  let query = deps.store.db.selectFrom("gateways").selectAll().orderBy("id");
  if (filter.centreId !== undefined) query = query.where("centre_id", "=", filter.centreId);
  return (await query.execute()).map(gatewayFromRow);
}

/** Registers a gateway and creates its broker credentials; the secret is in the result only. */
export async function provisionGateway(
  deps: ServiceDeps,
  actor: Actor,
  input: { id: string; centreId: string; name?: string },
): Promise<GatewayCredentials> {
  const id = slugId("id", input.id);
  const name = text("name", input.name ?? id);
  const secret = generateSecret();
  const secretHash = hashGeneratedSecret(secret);
  const now = deps.clock.now();
  const gateway = await commitChange(deps, async (trx) => {
    await loadCentre(trx, input.centreId);
    const taken = await trx
      .selectFrom("gateways")
      .select("id")
      .where("id", "=", id)
      .executeTakeFirst();
    if (taken !== undefined) throw conflict(`gateway ${id} already exists`, "id");
    const row: GatewaysTable = {
      id,
      centre_id: input.centreId,
      name,
      secret_hash: secretHash,
      created_at: now,
      secret_rotated_at: now,
      disabled_at: null,
    };
    await trx.insertInto("gateways").values(row).execute();
    return {
      result: gatewayFromRow(row),
      audit: [
        {
          actor,
          action: "gateway.provision",
          subject: `gateway:${id}`,
          centre: input.centreId,
          detail: {},
        },
      ],
      accessChangedAt: [input.centreId],
    };
  });
  return { gateway, username: id, secret };
}

/** New broker secret (a leaked or lost one); the old one stops working at once. */
export async function rotateGatewaySecret(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
): Promise<GatewayCredentials> {
  const secret = generateSecret();
  const secretHash = hashGeneratedSecret(secret);
  const gateway = await commitChange(deps, async (trx) => {
    const row = await loadGatewayRow(trx, id);
    const now = deps.clock.now();
    await trx
      .updateTable("gateways")
      .set({ secret_hash: secretHash, secret_rotated_at: now })
      .where("id", "=", id)
      .execute();
    return {
      result: gatewayFromRow({ ...row, secret_hash: secretHash, secret_rotated_at: now }),
      audit: [
        {
          actor,
          action: "gateway.rotate-secret",
          subject: `gateway:${id}`,
          centre: row.centre_id,
          detail: {},
        },
      ],
      gatewayCredentialsRevoked: [id],
    };
  });
  return { gateway, username: id, secret };
}

export async function setGatewayDisabled(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  disabled: boolean,
): Promise<Gateway> {
  return commitChange(deps, async (trx) => {
    const row = await loadGatewayRow(trx, id);
    const disabledAt = disabled ? (row.disabled_at ?? deps.clock.now()) : null;
    await trx
      .updateTable("gateways")
      .set({ disabled_at: disabledAt })
      .where("id", "=", id)
      .execute();
    return {
      result: gatewayFromRow({ ...row, disabled_at: disabledAt }),
      audit: [
        {
          actor,
          action: disabled ? "gateway.disable" : "gateway.enable",
          subject: `gateway:${id}`,
          centre: row.centre_id,
          detail: {},
        },
      ],
      accessChangedAt: [row.centre_id],
      gatewayCredentialsRevoked: disabled ? [id] : [],
    };
  });
}

/**
 * The broker's authenticate hook: the gateway when username and secret match an enabled
 * gateway, else undefined. Unknown usernames cost a hash check too. A secret still stored as
 * scrypt (provisioned by an earlier version) is re-hashed the fast way once it has matched.
 */
export async function verifyGatewayCredentials(
  deps: ServiceDeps,
  username: string,
  secret: string,
): Promise<Gateway | undefined> {
  const row = await deps.store.db
    .selectFrom("gateways")
    .selectAll()
    .where("id", "=", username)
    .executeTakeFirst();
  const matches = await verifyGeneratedSecret(secret, row?.secret_hash ?? decoyHash);
  if (row === undefined || !matches || row.disabled_at !== null) return undefined;
  if (isSlowSecretHash(row.secret_hash)) {
    // Only if unchanged: a rotation that committed meanwhile keeps its own hash.
    await deps.store.db
      .updateTable("gateways")
      .set({ secret_hash: hashGeneratedSecret(secret) })
      .where("id", "=", row.id)
      .where("secret_hash", "=", row.secret_hash)
      .execute();
  }
  return gatewayFromRow(row);
}

// A well-formed hash of a random secret nobody knows, verified against for unknown usernames.
const decoyHash = hashGeneratedSecret(generateSecret());
