import { createHash } from "node:crypto";
import { limits, type TrustedKeys, topicFor, verifyDocument } from "@passerelle/protocol";
import type { MqttClient } from "mqtt";

type Kind = "bundle" | "bundleDelta";

interface Received {
  readonly kind: Kind;
  readonly version: number;
  /** sha256 of the signed body: two bundles of one version are one bundle if these agree. */
  readonly digest: string;
}

/**
 * Every bundle and delta each gateway of a centre received, in the order it received them, as
 * the door would see them (signatures checked). What the cluster must never do: issue two
 * different bundles under one version, or let a door receive an older version after a newer
 * one. A repeat of the same bundle (QoS 1 re-delivery, the retained copy) is allowed.
 */
export class BundleHistory {
  private readonly byCentre = new Map<string, Received[]>();

  constructor(private readonly trustedKeys: TrustedKeys) {}

  async listen(client: MqttClient, gatewayId: string, centreId: string): Promise<void> {
    const received: Received[] = [];
    this.byCentre.set(centreId, received);
    const topics: Record<string, Kind> = {
      [topicFor(gatewayId, "bundle")]: "bundle",
      [topicFor(gatewayId, "bundleDelta")]: "bundleDelta",
    };
    client.on("message", (topic, payload) => {
      const kind = topics[topic];
      if (kind !== undefined) received.push(this.read(kind, payload));
    });
    await client.subscribeAsync(Object.keys(topics), { qos: 1 });
  }

  /** Received versions of one centre and kind, in order. */
  versions(centreId: string, kind: Kind): number[] {
    return (this.byCentre.get(centreId) ?? []).filter((r) => r.kind === kind).map((r) => r.version);
  }

  /** Highest version a centre's gateway received, full or delta. */
  highest(centreId: string): number {
    return Math.max(0, ...(this.byCentre.get(centreId) ?? []).map((r) => r.version));
  }

  /** "c01 bundle 7: 2 different bodies", one line per version issued twice. */
  reusedVersions(): string[] {
    const problems: string[] = [];
    for (const [centre, received] of this.byCentre) {
      const bodies = new Map<string, Set<string>>();
      for (const { kind, version, digest } of received) {
        const key = `${kind} ${version}`;
        bodies.set(key, (bodies.get(key) ?? new Set()).add(digest));
      }
      for (const [key, digests] of bodies) {
        if (digests.size > 1) problems.push(`${centre} ${key}: ${digests.size} different bodies`);
      }
    }
    return problems;
  }

  /** "c01 bundle 6 after 7", one line per version received after a newer one of its kind. */
  backwards(): string[] {
    const problems: string[] = [];
    for (const [centre, received] of this.byCentre) {
      for (const kind of ["bundle", "bundleDelta"] as const) {
        let newest = 0;
        for (const { version } of received.filter((r) => r.kind === kind)) {
          if (version < newest) problems.push(`${centre} ${kind} ${version} after ${newest}`);
          newest = Math.max(newest, version);
        }
      }
    }
    return problems;
  }

  private read(kind: Kind, payload: Buffer): Received {
    const document = verifyDocument(payload, this.trustedKeys, limits.bundleBytes);
    const body = JSON.parse(document.body.toString("utf8")) as { version: number };
    const digest = createHash("sha256").update(document.body).digest("hex");
    return { kind, version: body.version, digest };
  }
}
