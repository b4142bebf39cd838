import { EventEmitter } from "node:events";
import type { OccupancySample } from "@passerelle/protocol";
import type { CentreOccupancy } from "../ports/liveState.js";

export type { CentreOccupancy, ZoneOccupancy } from "../ports/liveState.js";

interface GatewaySample {
  readonly gatewayId: string;
  readonly sample: OccupancySample;
}

interface OccupancyEvents {
  change: [CentreOccupancy];
}

/**
 * Live occupancy per centre and zone, in memory, from the gateways' `occupancy` samples (each a
 * full count, not a difference, so a lost sample is healed by the next). A centre with several
 * gateways adds up their latest samples: each gateway counts the people who came in through its
 * own doors. Restarting the cloud forgets nothing that matters: gateways send a sample on every
 * change and periodically.
 */
export class LiveOccupancy extends EventEmitter<OccupancyEvents> {
  private readonly byCentre = new Map<string, Map<string, GatewaySample>>();

  constructor() {
    super();
    // One listener per open SSE stream: many consoles may watch at once.
    this.setMaxListeners(0);
  }

  /** Records a sample already checked to come from a gateway of `sample.centre`. */
  record(gatewayId: string, sample: OccupancySample): CentreOccupancy {
    let gateways = this.byCentre.get(sample.centre);
    if (!gateways) {
      gateways = new Map();
      this.byCentre.set(sample.centre, gateways);
    }
    const previous = gateways.get(gatewayId);
    // A re-delivered older sample (QoS 1 resend) must not move the count back in time.
    if (previous && Date.parse(previous.sample.time) > Date.parse(sample.time)) {
      return this.centreOf(sample.centre, gateways);
    }
    gateways.set(gatewayId, { gatewayId, sample });
    const occupancy = this.centreOf(sample.centre, gateways);
    this.emit("change", occupancy);
    return occupancy;
  }

  centre(centreId: string): CentreOccupancy | undefined {
    const gateways = this.byCentre.get(centreId);
    return gateways ? this.centreOf(centreId, gateways) : undefined;
  }

  /** Every centre with a sample, or only the given ones (a manager sees their centres only). */
  snapshot(centreIds?: readonly string[]): CentreOccupancy[] {
    const ids = centreIds ?? [...this.byCentre.keys()];
    return ids
      .map((id) => this.centre(id))
      .filter((c): c is CentreOccupancy => c !== undefined)
      .sort((a, b) => a.centre.localeCompare(b.centre));
  }

  /**
   * The snapshot, then every change, for the SSE route. A slow reader is never buffered without
   * bound: it gets the latest state of each centre that changed since it last read.
   */
  async *stream(
    options: { centres?: readonly string[]; signal?: AbortSignal } = {},
  ): AsyncGenerator<CentreOccupancy> {
    const wanted = options.centres ? new Set(options.centres) : undefined;
    const pending = new Map<string, CentreOccupancy>();
    let wake: (() => void) | undefined;
    const listener = (occupancy: CentreOccupancy) => {
      if (wanted && !wanted.has(occupancy.centre)) return;
      pending.set(occupancy.centre, occupancy);
      wake?.();
    };
    const onAbort = () => wake?.();
    this.on("change", listener);
    options.signal?.addEventListener("abort", onAbort);
    try {
      for (const occupancy of this.snapshot(options.centres)) yield occupancy;
      while (!options.signal?.aborted) {
        if (pending.size === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        const changed = [...pending.values()];
        pending.clear();
        for (const occupancy of changed) yield occupancy;
      }
    } finally {
      this.off("change", listener);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  private centreOf(centreId: string, gateways: Map<string, GatewaySample>): CentreOccupancy {
    let inside = 0;
    let attributed = 0;
    let time = "";
    const zones = new Map<string, number>();
    for (const { sample } of gateways.values()) {
      inside += headcountOf(sample);
      attributed += attributedOf(sample);
      if (sample.time > time) time = sample.time;
      for (const zone of sample.zones)
        zones.set(zone.zone, (zones.get(zone.zone) ?? 0) + zone.inside);
    }
    return {
      centre: centreId,
      inside,
      attributed,
      zones: [...zones]
        .map(([zone, count]) => ({ zone, inside: count }))
        .sort((a, b) => a.zone.localeCompare(b.zone)),
      time,
      gateways: [...gateways.keys()].sort(),
    };
  }
}

/**
 * A sample's headcount (entries − exits, anonymous exits counted): the gateway's own figure;
 * from a gateway older than headcounts, its count of open sessions.
 */
function headcountOf(sample: OccupancySample): number {
  return sample.headcount ?? sample.inside;
}

/** Members inside by name (open sessions); older gateways only sent that figure as `inside`. */
function attributedOf(sample: OccupancySample): number {
  return sample.attributed ?? sample.inside;
}
