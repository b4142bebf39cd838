import type { IngestHandler } from "./ingestHandler.js";

/** `events`: every event must be the gateway's own centre's; then into the group commit. */
export const handleEvents: IngestHandler<"events"> = (context, identity, message, topic) => {
  const { events } = message;
  if (events.some((event) => event.centre !== identity.centreId)) {
    context.reject("events", topic, "foreign-centre");
    return;
  }
  context.addEvents({ gatewayId: identity.gatewayId, centreId: identity.centreId, events });
};
