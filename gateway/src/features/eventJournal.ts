import { type GatewayEvent, uuidv7 } from "@passerelle/protocol";
import type { FeatureContext, GatewayFeature } from "./feature.js";

/**
 * Makes every reported event durable: stamps id, time and centre, appends it to the outbox
 * (which gives the seq), then says `event.recorded`. First in the list, so last to stop: the
 * outbox closes after the doors applied their lock mode. An event that cannot be stored is
 * logged, never thrown at its reporter (the door path).
 */
export function createEventJournal(context: FeatureContext): GatewayFeature {
  const { on, bus, ports, config, now, logger } = context;
  const log = logger.child({ module: "gateway:journal" });
  on("event.occurred", ({ event }) => {
    let stored: GatewayEvent;
    try {
      stored = ports.outbox.append({
        time: new Date(now()).toISOString(),
        ...event,
        id: uuidv7(now()),
        centre: config.centre,
      } as Omit<GatewayEvent, "seq">);
    } catch (error) {
      log.error({ err: (error as Error).message, type: event.type }, "event could not be recorded");
      return;
    }
    bus.emit("event.recorded", { event: stored });
  });
  return {
    start() {},
    stop() {
      ports.outbox.close();
    },
  };
}
