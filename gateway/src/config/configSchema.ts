import { defaultBaseTopic, gatewayIdPattern } from "@passerelle/protocol";
import { type Static, Type } from "@sinclair/typebox";

const Milliseconds = (defaultValue: number, minimum: number, maximum: number) =>
  Type.Integer({ default: defaultValue, minimum, maximum });

/**
 * The gateway's whole configuration: one file plus environment overrides (configLoader.ts),
 * defaults filled in, checked at start with every error listed at once.
 */
export const GatewayConfigSchema = Type.Object(
  {
    gatewayId: Type.String({ pattern: gatewayIdPattern, description: "also the broker username" }),
    centre: Type.String({ minLength: 1, maxLength: 64 }),
    dataDir: Type.String({ default: "/var/lib/passerelle-gateway", minLength: 1 }),
    logLevel: Type.Union(
      ["fatal", "error", "warn", "info", "debug", "trace"].map((l) => Type.Literal(l)),
      { default: "info" },
    ),
    mqtt: Type.Object(
      {
        url: Type.String({
          pattern: "^(mqtts?|wss?|tcp|ssl)://",
          default: "mqtt://127.0.0.1:1883",
        }),
        /** The gateway's own broker secret, given once at provisioning. */
        password: Type.Optional(Type.String({ minLength: 1 })),
        passwordFile: Type.Optional(Type.String({ minLength: 1 })),
        baseTopic: Type.String({ default: defaultBaseTopic, minLength: 1 }),
        /** PEM files for TLS: the broker's CA, and a client certificate where the broker asks. */
        caFile: Type.Optional(Type.String()),
        certFile: Type.Optional(Type.String()),
        keyFile: Type.Optional(Type.String()),
        keepaliveSeconds: Type.Integer({ default: 30, minimum: 5, maximum: 600 }),
        reconnectMinMs: Milliseconds(1000, 100, 60_000),
        reconnectMaxMs: Milliseconds(30_000, 1000, 600_000),
      },
      { default: {}, additionalProperties: false },
    ),
    /** PEM public keys whose signatures the gateway accepts (two during a key rotation). */
    trustedKeyFiles: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 4 }),
    door: Type.Object(
      {
        unlockMs: Milliseconds(5000, 500, 60_000),
        heldOpenMs: Milliseconds(30_000, 1000, 3_600_000),
        /** fail-safe: unlocked without power (fire exits); fail-secure: locked without power. */
        lockMode: Type.Union([Type.Literal("fail-secure"), Type.Literal("fail-safe")], {
          default: "fail-secure",
        }),
      },
      { default: {}, additionalProperties: false },
    ),
    outbox: Type.Object(
      {
        capacity: Type.Integer({ default: 100_000, minimum: 100, maximum: 10_000_000 }),
        batchSize: Type.Integer({ default: 200, minimum: 1, maximum: 500 }),
        /** Re-send the oldest unacked batch when no ack came back within this time. */
        ackTimeoutMs: Milliseconds(10_000, 500, 300_000),
      },
      { default: {}, additionalProperties: false },
    ),
    clock: Type.Object(
      { toleranceMs: Milliseconds(120_000, 0, 3_600_000) },
      { default: {}, additionalProperties: false },
    ),
    presence: Type.Object(
      { inactivityLimitMinutes: Type.Integer({ default: 720, minimum: 15, maximum: 1440 }) },
      { default: {}, additionalProperties: false },
    ),
    /** NTAG 424 DNA SUN cards: the verification keys of the network's key version. */
    secureCards: Type.Optional(
      Type.Object(
        { sunKeysFile: Type.Optional(Type.String({ minLength: 1 })) },
        { additionalProperties: false },
      ),
    ),
    /**
     * Adapters per reader and door; validated by the hardware factory's own schema. No schema
     * default here: TypeBox merges an object default into a given object, which would turn every
     * real configuration into the sim shorthand (configLoader.ts applies the default instead).
     */
    hardware: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

export type GatewayConfig = Static<typeof GatewayConfigSchema>;
