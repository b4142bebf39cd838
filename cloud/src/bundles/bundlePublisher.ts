import {
  type BundleRequest,
  type DeltaBundle,
  defaultBaseTopic,
  type FullBundle,
  signDeltaBundle,
  signFullBundle,
  topicFor,
} from "@passerelle/protocol";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { MqttBus } from "../broker/mqttBus.js";
import type { AccessRulesSource, BundleVersionStore } from "../ports/accessRules.js";
import { type BundlePolicy, defaultBundlePolicy } from "../ports/compilerInput.js";
import type { BundleRequestHandler } from "../ports/eventSink.js";
import type { GatewayIdentity } from "../ports/gatewayCredentials.js";
import { type BundleMetrics, bundleMetrics } from "./bundleMetrics.js";
import { compileCentreBundle } from "./compileCentreBundle.js";
import { diffBundles, sameAccessRules } from "./diffBundles.js";
import type { CloudSigningKey } from "./signingKeyFile.js";

export interface BundlePublisherConfig {
  baseTopic?: string;
  /** Changes within this window make one compilation (default 200 ms). */
  coalesceMs?: number;
  policy?: Partial<BundlePolicy>;
  /** How often every centre is recompiled (default 1 h): windows enter the horizon, expire. */
  refreshIntervalMs?: number;
  /** A bundle this close to valid-until is re-issued even if unchanged (default: half its life). */
  reissueBeforeExpiryMs?: number;
  /** Answer one gateway's bundle/request at most this often (default 1 s); later ones wait. */
  requestMinIntervalMs?: number;
  /**
   * Compile and publish every centre after start (default true): retained bundles after
   * restarts. In the background, one centre after the other, so start-up and ingest never wait
   * for it (docs/performance.md "Start-up"); a change or a request compiles its centre first.
   */
  compileAllOnStart?: boolean;
}

export interface BundlePublisherDeps {
  bus: MqttBus;
  source: AccessRulesSource;
  versions: BundleVersionStore;
  signingKey: Pick<CloudSigningKey, "privateKey">;
  logger: Logger;
  metrics: Registry;
  clock?: { now(): number };
  config?: BundlePublisherConfig;
  /**
   * Runs a centre's compilation while no other cloud instance compiles it (the store's advisory
   * locks, docs/scale.md); absent: run as is (one process).
   */
  exclusive?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}

interface Published {
  readonly bundle: FullBundle;
  readonly frame: Buffer;
}

/**
 * Rule change to door (flow 3 of docs/architecture.md "The four flows"): the domain calls `onAccessRulesChanged(centres)` after
 * each commit; changes arriving within `coalesceMs` make one compilation per centre. A new
 * version is issued only when access changed (or the bundle nears valid-until). For every gateway
 * of the centre the signed delta is published first (small and fast: a revocation reaches the
 * door in well under 2 s), then the signed full bundle, retained, for gateways that were away.
 * Work on one centre is serialised, so versions increase in publication order.
 */
export class BundlePublisher implements BundleRequestHandler {
  private readonly base: string;
  private readonly policy: BundlePolicy;
  private readonly log: Logger;
  private readonly metrics: BundleMetrics;
  private readonly clock: { now(): number };
  private readonly published = new Map<string, Published>();
  private readonly work = new Map<string, Promise<void>>();
  private readonly pending = new Set<string>();
  /** Centres with a compilation queued and not started yet: a later change joins it. */
  private readonly compileQueued = new Set<string>();
  private coalesceTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly requestTimers = new Map<string, NodeJS.Timeout>();
  private readonly lastAnswer = new Map<string, number>();
  private running = false;

  constructor(private readonly deps: BundlePublisherDeps) {
    this.base = deps.config?.baseTopic ?? defaultBaseTopic;
    this.policy = { ...defaultBundlePolicy, ...deps.config?.policy };
    this.log = deps.logger.child({ module: "cloud:bundles" });
    this.metrics = bundleMetrics(deps.metrics);
    this.clock = deps.clock ?? { now: () => Date.now() };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const every = this.deps.config?.refreshIntervalMs ?? 60 * 60 * 1000;
    this.refreshTimer = setInterval(() => void this.refreshAll(false), every);
    this.refreshTimer.unref();
    if (this.deps.config?.compileAllOnStart ?? true) void this.sweepInBackground();
  }

  /**
   * The start-up pass: every centre, one at a time, each after the work already queued for it.
   * Compiling them all at once (as before) held the store and the event loop for as long as the
   * whole pass took (15 s at 2 000 centres), and acks and HTTP waited behind it.
   */
  private async sweepInBackground(): Promise<void> {
    let centres: readonly string[];
    try {
      centres = await this.deps.source.listCentres();
    } catch (error) {
      this.metrics.failures.inc({ stage: "load" });
      this.log.error({ err: error }, "cannot list centres for the start-up compilation");
      return;
    }
    for (const centre of centres) {
      if (!this.running) return;
      // Already compiled since start (a change or a request came first): nothing to catch up.
      if (this.published.has(centre)) continue;
      await this.enqueueCompile(centre, true);
    }
  }

  /** Stops the timers and finishes the work already started. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.refreshTimer);
    for (const timer of this.requestTimers.values()) clearTimeout(timer);
    this.requestTimers.clear();
    await this.settle();
  }

  /** DomainHooks.onAccessRulesChanged: never throws, never waits. */
  onAccessRulesChanged(centreIds: readonly string[]): void {
    for (const centre of centreIds) this.pending.add(centre);
    if (this.coalesceTimer || this.pending.size === 0) return;
    this.coalesceTimer = setTimeout(() => this.flushPending(), this.deps.config?.coalesceMs ?? 200);
  }

  /** Runs what is waiting for the coalescing timer now, and resolves when all work is done. */
  async settle(): Promise<void> {
    this.flushPending();
    while (this.work.size > 0) await Promise.all(this.work.values());
  }

  /** The bundle last published for a centre (API, status page, tests). */
  latest(centreId: string): FullBundle | undefined {
    return this.published.get(centreId)?.bundle;
  }

  /** A gateway asks for its full bundle (start, gap, rejected, expired, resync). */
  onBundleRequest(identity: GatewayIdentity, request: BundleRequest): void {
    const minInterval = this.deps.config?.requestMinIntervalMs ?? 1000;
    const wait =
      (this.lastAnswer.get(identity.gatewayId) ?? -Infinity) + minInterval - this.clock.now();
    this.log.debug({ gatewayId: identity.gatewayId, ...request }, "bundle requested");
    if (wait <= 0) {
      this.answer(identity);
    } else if (!this.requestTimers.has(identity.gatewayId)) {
      // A gateway asking in a loop gets one answer per interval, never a storm of 15 MB frames.
      const timer = setTimeout(() => {
        this.requestTimers.delete(identity.gatewayId);
        this.answer(identity);
      }, wait);
      this.requestTimers.set(identity.gatewayId, timer);
    }
  }

  /** Recompiles every centre; `force` re-issues even unchanged bundles. */
  async refreshAll(force: boolean): Promise<void> {
    let centres: readonly string[];
    try {
      centres = await this.deps.source.listCentres();
    } catch (error) {
      this.metrics.failures.inc({ stage: "load" });
      this.log.error({ err: error }, "cannot list centres for the bundle refresh");
      return;
    }
    await Promise.all(centres.map((centre) => this.enqueueCompile(centre, force)));
  }

  /**
   * Queues a compilation of the centre unless one is queued and not started yet: that one will
   * read the rules as they are when it runs, so it covers this change too. Under a stream of
   * changes (provisioning hundreds of network passes, each changing every centre) a centre is
   * compiled as often as compiling allows, not once per change.
   */
  private enqueueCompile(centre: string, force: boolean): Promise<void> {
    if (this.compileQueued.has(centre) && !force) return this.work.get(centre) ?? Promise.resolve();
    this.compileQueued.add(centre);
    return this.enqueue(centre, () => {
      this.compileQueued.delete(centre);
      return this.compile(centre, force);
    });
  }

  private flushPending(): void {
    clearTimeout(this.coalesceTimer);
    this.coalesceTimer = undefined;
    const centres = [...this.pending];
    this.pending.clear();
    for (const centre of centres) void this.enqueueCompile(centre, false);
  }

  private answer(identity: GatewayIdentity): void {
    this.lastAnswer.set(identity.gatewayId, this.clock.now());
    void this.enqueue(identity.centreId, async () => {
      const current = this.published.get(identity.centreId);
      // Another instance may have issued a newer version since this one last compiled: the
      // gateway would refuse ours as not newer and ask again.
      const issued = current ? await this.deps.versions.current(identity.centreId) : null;
      if (!current || (issued !== null && issued > current.bundle.version)) {
        // Nothing compiled here since start (or it is stale): compiling publishes to every
        // gateway of the centre.
        await this.compile(identity.centreId, true);
        return;
      }
      await this.deps.bus.publish(
        topicFor(identity.gatewayId, "bundle", this.base),
        current.frame,
        {
          qos: 1,
          retain: true,
        },
      );
      this.metrics.requests.inc();
      this.metrics.published.inc({ type: "full" });
    });
  }

  /** One centre's work runs after the previous one; failures are logged, never thrown. */
  private enqueue(centre: string, task: () => Promise<void>): Promise<void> {
    const previous = this.work.get(centre) ?? Promise.resolve();
    const next = previous.then(task).catch((error: unknown) => {
      this.log.error({ err: error, centre }, "bundle work failed");
    });
    this.work.set(centre, next);
    void next.finally(() => {
      if (this.work.get(centre) === next) this.work.delete(centre);
    });
    return next;
  }

  /**
   * Issues a new version when access changed. The delta is signed and sent before the full
   * bundle is even serialised: for a large centre, canonical JSON and signature of the full
   * bundle take as long as compiling it, and a revocation should not wait for them.
   */
  private compile(centre: string, force: boolean): Promise<void> {
    const exclusive = this.deps.exclusive;
    if (!exclusive) return this.compileNow(centre, force);
    return exclusive(`bundle:${centre}`, () => this.compileNow(centre, force));
  }

  private async compileNow(centre: string, force: boolean): Promise<void> {
    const built = await this.build(centre, force);
    if (!built) return;
    const { bundle, delta } = built;
    const key = this.deps.signingKey.privateKey;
    const deltaFrame = delta
      ? await this.stage("sign", async () => signDeltaBundle(delta, key))
      : null;
    await this.stage("version", () => this.deps.versions.commit(centre, bundle.version));
    this.metrics.compiled.inc({ outcome: "issued" });
    const gateways = await this.stage("load", () => this.deps.source.gatewaysOf(centre));
    if (deltaFrame) {
      await Promise.all(
        gateways.map((gatewayId) => this.send(gatewayId, "bundleDelta", deltaFrame)),
      );
    }
    const frame = await this.stage("sign", async () => signFullBundle(bundle, key));
    this.published.set(centre, { bundle, frame });
    // Same version as the delta: a gateway that applied the delta ignores it as not newer.
    await Promise.all(gateways.map((gatewayId) => this.send(gatewayId, "bundle", frame)));
    this.log.info(
      {
        centre,
        version: bundle.version,
        credentials: bundle.credentials.length,
        delta: delta ? { upsert: delta.upsert.length, remove: delta.remove.length } : null,
        gateways: gateways.length,
      },
      "bundle published",
    );
  }

  /** Load and compile; null when there is nothing to issue. */
  private async build(centre: string, force: boolean) {
    const stopTimer = this.metrics.compileSeconds.startTimer();
    try {
      const now = this.clock.now();
      const input = await this.stage("load", () => this.deps.source.loadCentre(centre, now));
      if (input === null) {
        this.log.warn({ centre }, "no such active centre; no bundle compiled");
        return null;
      }
      const previous = this.published.get(centre);
      const issued = (await this.stage("version", () => this.deps.versions.current(centre))) ?? 0;
      const version = Math.max(issued, previous?.bundle.version ?? 0) + 1;
      const bundle = compileCentreBundle(input, version, now, this.policy);
      // A delta from what this instance last published only helps a gateway that holds it: when
      // another instance issued a version since, gateways hold that one, and a delta from ours
      // would be a gap (they would ask for the full bundle anyway).
      const delta =
        previous && previous.bundle.version === issued
          ? diffBundles(previous.bundle, bundle)
          : null;
      const reissueBefore = this.deps.config?.reissueBeforeExpiryMs ?? this.policy.validityMs / 2;
      const nearExpiry =
        previous !== undefined && Date.parse(previous.bundle.validUntil) - now < reissueBefore;
      const unchanged =
        previous !== undefined &&
        previous.bundle.version === issued &&
        (delta ? isEmptyDelta(delta) : sameAccessRules(previous.bundle, bundle));
      if (unchanged && !force && !nearExpiry) {
        this.metrics.compiled.inc({ outcome: "unchanged" });
        return null;
      }
      return { bundle, delta };
    } finally {
      stopTimer();
    }
  }

  private async send(gatewayId: string, kind: "bundle" | "bundleDelta", frame: Buffer) {
    try {
      await this.deps.bus.publish(topicFor(gatewayId, kind, this.base), frame, {
        qos: 1,
        retain: kind === "bundle",
      });
      this.metrics.published.inc({ type: kind === "bundle" ? "full" : "delta" });
    } catch (error) {
      this.metrics.failures.inc({ stage: "publish" });
      this.log.error({ err: error, gatewayId, kind }, "bundle not published");
    }
  }

  private async stage<T>(stage: "load" | "version" | "sign", step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      this.metrics.failures.inc({ stage });
      throw error;
    }
  }
}

function isEmptyDelta(delta: DeltaBundle): boolean {
  return (
    delta.upsert.length === 0 &&
    delta.remove.length === 0 &&
    delta.rules === undefined &&
    delta.doors === undefined
  );
}
