import type { IngestHandler } from "./ingestHandler.js";

/** `occupancy`: a full count of the gateway's own centre, onto the live occupancy. */
export const handleOccupancy: IngestHandler<"occupancy"> = (context, identity, sample, topic) => {
  if (sample.centre !== identity.centreId) {
    context.reject("occupancy", topic, "foreign-centre");
    return;
  }
  context.occupancy.record(identity.gatewayId, sample);
};
