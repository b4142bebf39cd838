import { randomBytes, timingSafeEqual } from "node:crypto";
import type { EventEmitter } from "node:events";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { defaultBaseTopic } from "@passerelle/protocol";
import { Aedes, type AuthenticateError, type Client, type ConnectPacket } from "aedes";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { GatewayCredentialVerifier } from "../ports/gatewayCredentials.js";
import { aedesBus } from "./aedesBus.js";
import { BrokerError } from "./brokerError.js";
import { connectionsPerAddressPerMinute, frameLimits, packetCapOf } from "./brokerLimits.js";
import { type BrokerMetrics, brokerMetrics } from "./brokerMetrics.js";
import { ConnectionRateLimit } from "./connectionRateLimit.js";
import type { MqttBus } from "./mqttBus.js";
import { MqttFrameGuard } from "./mqttFrameGuard.js";
import {
  type AccessVerdict,
  type BrokerPrincipal,
  clientIdVerdict,
  publishVerdict,
  subscribeVerdict,
} from "./topicAccess.js";

export interface EmbeddedBrokerConfig {
  /** 127.0.0.1 for a single machine behind a TLS proxy, 0.0.0.0 to face gateways directly. */
  host: string;
  /** 0 picks a free port (tests); read the chosen one from `port` after start. */
  port: number;
  tls?: { host?: string; port: number; key: Buffer; cert: Buffer; ca?: Buffer };
  baseTopic?: string;
  /** Username of the cloud's own network client; its password is generated at every start. */
  serviceUsername?: string;
  /**
   * New connections a minute per client address (default 30). Loopback is exempt by default:
   * behind a TLS proxy on the same machine every gateway arrives from 127.0.0.1, and the proxy
   * limits per real address instead (deploy/cloud/README.md).
   */
  connectionRate?: { perMinute: number; exemptLoopback: boolean };
}

export interface EmbeddedBrokerDeps {
  verifier: GatewayCredentialVerifier;
  logger: Logger;
  registry: Registry;
  config: EmbeddedBrokerConfig;
}

// MQTT 3.1.1 §3.2.2.3 connect return codes (aedes' AuthErrorCode is an ambient const enum).
const IDENTIFIER_REJECTED = 2;
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function authError(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/**
 * The default broker (docs/cloud-mqtt.md "Broker modes": one machine): aedes 1.x on a TCP port, and TLS when
 * configured. Each gateway logs in as username = its id with its own secret, checked by the
 * store's verifier, and is confined to its own subtree by authorizePublish/authorizeSubscribe.
 * The cloud itself uses the in-process `bus` (aedesBus.ts); the service credential exists so a
 * network client (an operator's tool, the external-broker code path in tests) can be the cloud.
 */
export class EmbeddedBroker {
  private aedes: Aedes | undefined;
  private servers: Server[] = [];
  private busInstance: MqttBus | undefined;
  private readonly principals = new WeakMap<Client, BrokerPrincipal>();
  private readonly wills = new WeakMap<Client, ConnectPacket["will"]>();
  /** Open connections per gateway id, to close them when its credentials are revoked. */
  private readonly gatewayClients = new Map<string, Set<Client>>();
  /** When each gateway's credentials were last revoked (performance.now()). */
  private readonly revokedAt = new Map<string, number>();
  private readonly connectionRate: ConnectionRateLimit;
  private readonly log: Logger;
  private readonly metrics: BrokerMetrics;
  private readonly base: string;
  readonly serviceCredentials: { readonly username: string; readonly password: string };
  port = 0;
  tlsPort = 0;

  constructor(private readonly deps: EmbeddedBrokerDeps) {
    this.log = deps.logger.child({ module: "cloud:broker" });
    this.metrics = brokerMetrics(deps.registry);
    this.base = deps.config.baseTopic ?? defaultBaseTopic;
    this.connectionRate = new ConnectionRateLimit(
      deps.config.connectionRate?.perMinute ?? connectionsPerAddressPerMinute,
      60_000,
    );
    this.serviceCredentials = {
      username: deps.config.serviceUsername ?? "passerelle-cloud",
      password: randomBytes(32).toString("base64url"),
    };
  }

  /** The cloud's in-process connection to this broker. */
  get bus(): MqttBus {
    if (!this.busInstance)
      throw new BrokerError("not-started", "the embedded broker is not started");
    return this.busInstance;
  }

  /** Tests and the status page: how many clients are connected. */
  get connectedClients(): number {
    return this.aedes?.connectedClients ?? 0;
  }

  async start(): Promise<void> {
    if (this.aedes) return;
    const aedes = await Aedes.createBroker({
      id: `passerelle-${randomBytes(4).toString("hex")}`,
      maxClientsIdLength: 128,
      connectTimeout: 10_000,
      drainTimeout: 30_000,
    });
    aedes.preConnect = (client, packet, done) => {
      this.wills.set(client, packet.will);
      done(null, true);
    };
    aedes.authenticate = (client, username, password, done) => {
      const startedAt = performance.now();
      this.authenticate(client, username, password).then(
        (principal) => {
          // The store was read before a revocation that committed during the check (the check
          // reads the store asynchronously): those credentials are already gone.
          if (principal.kind === "gateway" && this.revokedSince(principal.gatewayId, startedAt)) {
            this.metrics.authFailures.inc({ reason: "credentials" });
            done(authError(BAD_USERNAME_OR_PASSWORD, "credentials revoked"), null);
            return;
          }
          this.principals.set(client, principal);
          if (client.conn instanceof MqttFrameGuard)
            client.conn.markAuthenticated(packetCapOf(principal));
          if (principal.kind === "gateway") this.track(principal.gatewayId, client);
          done(null, true);
        },
        (error: AuthenticateError) => done(error, null),
      );
    };
    aedes.authorizePublish = (client, packet, done) => {
      const principal = client ? this.principals.get(client) : undefined;
      // A null client is a will left by a broker of a cluster that died: nobody vouches for it.
      const verdict: AccessVerdict = principal
        ? publishVerdict(principal, packet.topic, packet.retain, this.base)
        : { allowed: false, reason: "not-a-contract-topic" };
      if (verdict.allowed) return done(null);
      this.refused("publish", verdict.reason, principal, packet.topic);
      // [MQTT-3.3.5-2]: 3.1.1 cannot refuse one PUBLISH; aedes closes the connection instead.
      done(new BrokerError("refused", `publish to ${packet.topic} refused: ${verdict.reason}`));
    };
    aedes.authorizeSubscribe = (client, subscription, done) => {
      const principal = this.principals.get(client);
      const verdict: AccessVerdict = principal
        ? subscribeVerdict(principal, subscription.topic, this.base)
        : { allowed: false, reason: "not-a-contract-topic" };
      if (verdict.allowed) return done(null, subscription);
      this.refused("subscribe", verdict.reason, principal, subscription.topic);
      // A negated subscription is answered with SUBACK 0x80 ([MQTT-3.9.3-2]) and the client stays.
      done(null, null);
    };
    aedes.on("clientError", (client, error) =>
      this.log.debug({ clientId: client.id, err: error.message }, "client error"),
    );
    aedes.on("connectionError", (client, error) =>
      this.log.debug({ clientId: client.id, err: error.message }, "connection error"),
    );
    // Persistence failures surface as "error": log them rather than crash the cloud.
    (aedes as EventEmitter).on("error", (error: Error) =>
      this.log.error({ err: error }, "broker error"),
    );
    // Both fire only for clients that passed authentication (aedes registers them after it).
    aedes.on("client", () => this.metrics.connected.inc());
    aedes.on("clientDisconnect", (client) => {
      this.metrics.connected.dec();
      const principal = this.principals.get(client);
      if (principal?.kind === "gateway")
        this.gatewayClients.get(principal.gatewayId)?.delete(client);
    });
    this.aedes = aedes;
    this.busInstance = aedesBus(aedes, this.deps.logger);
    try {
      const { host, port, tls } = this.deps.config;
      // Nagle's algorithm would hold the application ack written right after a PUBACK until the
      // client's delayed TCP ack (~40 ms on Linux): a stall per batch, the ingest's bottleneck.
      const plain = createServer((socket) => this.accept(socket, aedes));
      this.port = await this.listen(plain, host, port);
      if (tls) {
        const secure = createTlsServer({ key: tls.key, cert: tls.cert, ca: tls.ca }, (socket) =>
          this.accept(socket, aedes),
        );
        this.tlsPort = await this.listen(secure, tls.host ?? host, tls.port);
      }
    } catch (error) {
      await this.stop();
      throw new BrokerError("listen-failed", "the embedded broker could not listen", {
        cause: error,
      });
    }
    this.log.info(
      { port: this.port, tlsPort: this.tlsPort || undefined },
      "embedded broker listening",
    );
  }

  /**
   * The gateway was disabled or given a new secret: close its open connections now (its last
   * will says `offline`), and refuse a login whose check began before this moment. Its next
   * login is checked against the store like any other. Returns how many connections closed.
   */
  disconnectGateway(gatewayId: string): number {
    this.revokedAt.set(gatewayId, performance.now());
    const clients = [...(this.gatewayClients.get(gatewayId) ?? [])];
    this.gatewayClients.delete(gatewayId);
    for (const client of clients) client.close();
    if (clients.length > 0) {
      this.log.info(
        { gatewayId, connections: clients.length },
        "gateway credentials revoked: connection closed",
      );
    }
    return clients.length;
  }

  async stop(): Promise<void> {
    const aedes = this.aedes;
    this.aedes = undefined;
    this.busInstance = undefined;
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    const servers = this.servers;
    this.servers = [];
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }

  /**
   * A new connection: refused unread past the per-address rate, else handed to aedes behind
   * the byte caps (mqttFrameGuard.ts), which hold before and after authentication.
   */
  private accept(socket: Socket, aedes: Aedes): void {
    socket.setNoDelay(true);
    const address = socket.remoteAddress ?? "unknown";
    const exempt = (this.deps.config.connectionRate?.exemptLoopback ?? true) && isLoopback(address);
    if (!exempt && !this.connectionRate.allow(address)) {
      this.metrics.connectionsCut.inc({ reason: "connection-rate" });
      socket.destroy();
      return;
    }
    const guard = new MqttFrameGuard(socket, frameLimits, (reason, announcedBytes) => {
      this.metrics.connectionsCut.inc({ reason });
      this.log.warn({ address, reason, announcedBytes }, "connection closed by a byte cap");
    });
    aedes.handle(guard as unknown as Socket);
  }

  private listen(server: Server, host: string, port: number): Promise<number> {
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  private revokedSince(gatewayId: string, since: number): boolean {
    return (this.revokedAt.get(gatewayId) ?? Number.NEGATIVE_INFINITY) >= since;
  }

  private track(gatewayId: string, client: Client): void {
    let clients = this.gatewayClients.get(gatewayId);
    if (!clients) {
      clients = new Set();
      this.gatewayClients.set(gatewayId, clients);
    }
    // A connection that died between login and registration never reports its disconnect.
    for (const known of clients) if (known.closed) clients.delete(known);
    clients.add(client);
  }

  /** Resolves the principal, or rejects with the CONNACK return code to send. */
  private async authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<BrokerPrincipal> {
    const principal = await this.identify(username, password);
    if (!principal) {
      this.metrics.authFailures.inc({ reason: "credentials" });
      this.log.warn({ username: printable(username), clientId: client.id }, "broker login refused");
      throw authError(BAD_USERNAME_OR_PASSWORD, "bad username or password");
    }
    const idVerdict = clientIdVerdict(principal, client.id);
    if (!idVerdict.allowed) {
      this.metrics.authFailures.inc({ reason: "client-id" });
      this.log.warn(
        { username, clientId: client.id },
        "broker login refused: client id not its own",
      );
      throw authError(IDENTIFIER_REJECTED, "client id not allowed for this user");
    }
    const will = this.wills.get(client);
    if (will) {
      const verdict = publishVerdict(principal, will.topic, will.retain ?? false, this.base);
      if (!verdict.allowed) {
        this.metrics.authFailures.inc({ reason: "will" });
        this.refused("publish", verdict.reason, principal, will.topic);
        throw authError(NOT_AUTHORIZED, "last will topic not allowed");
      }
    }
    return principal;
  }

  private async identify(
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<BrokerPrincipal | null> {
    if (username === undefined || password === undefined) return null;
    const service = this.serviceCredentials;
    if (username === service.username) {
      const given = Buffer.from(password);
      const expected = Buffer.from(service.password);
      const same = given.length === expected.length && timingSafeEqual(given, expected);
      return same ? { kind: "service", username } : null;
    }
    let identity: Awaited<ReturnType<GatewayCredentialVerifier["verify"]>>;
    try {
      identity = await this.deps.verifier.verify(username, password.toString("utf8"));
    } catch (error) {
      this.metrics.authFailures.inc({ reason: "verifier" });
      this.log.error({ err: error, username: printable(username) }, "credential check failed");
      throw authError(SERVER_UNAVAILABLE, "credential check failed");
    }
    // The verifier is the store's: trust its identity only for the username that was checked.
    if (!identity || identity.gatewayId !== username) return null;
    return { kind: "gateway", gatewayId: identity.gatewayId, centreId: identity.centreId };
  }

  private refused(
    action: "publish" | "subscribe",
    reason: string,
    principal: BrokerPrincipal | undefined,
    topic: string,
  ): void {
    (action === "publish" ? this.metrics.publishRefused : this.metrics.subscribeRefused).inc({
      reason,
    });
    const who =
      principal?.kind === "gateway"
        ? { gatewayId: principal.gatewayId }
        : { username: principal?.username ?? "(unknown)" };
    this.log.warn({ ...who, topic: printable(topic), reason }, `${action} refused`);
  }
}

function isLoopback(address: string): boolean {
  return address === "::1" || /^(::ffff:)?127\./.test(address);
}

/** Usernames and topics come from the wire: cut them short before they reach a log. */
function printable(text: string | undefined): string {
  if (text === undefined) return "(none)";
  return text.length > 128 ? `${text.slice(0, 128)}…` : text;
}
