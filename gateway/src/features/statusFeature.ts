import { gatewayVersion } from "../core/gatewayVersion.js";
import { gatewayReaders } from "../hardware/createHardware.js";
import { StatusReporter } from "../status/statusReporter.js";
import type { FeatureContext, GatewayFeature } from "./feature.js";

/**
 * The gateway's retained `status`: published when the link comes up, soon after a change
 * (bundle applied, reader status), and every minute.
 */
export function createStatus({ on, ports, config, now, logger }: FeatureContext): GatewayFeature {
  const { bundles, clock, outbox, hardware, doors, link } = ports;
  const status = new StatusReporter(
    {
      centre: config.centre,
      software: `passerelle-gateway ${gatewayVersion}`,
      bundle: () => bundles.status(),
      clock: () => clock.status(),
      outbox: () => outbox.status(),
      readers: () =>
        gatewayReaders(hardware).map(({ reader }) => {
          const r = reader.status();
          return {
            id: r.readerId,
            state: r.state,
            ...(r.error ? { error: r.error } : {}),
          };
        }),
      doors: () => doors.map((door) => door.status()),
    },
    (payload) => link.publish("status", payload, true),
    { now, logger },
  );
  on("bundle.applied", () => status.changed());
  on("reader.statusChanged", () => status.changed());
  on("link.up", () => status.publishNow());
  return {
    start() {
      status.start();
    },
    stop() {
      status.stop();
    },
  };
}
