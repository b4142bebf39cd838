import { handleBundleRequest } from "./bundleRequestHandler.js";
import { handleEvents } from "./eventsHandler.js";
import type { IngestedKind, IngestHandler } from "./ingestHandler.js";
import { handleOccupancy } from "./occupancyHandler.js";
import { handleStatus } from "./statusHandler.js";

export { type IngestContext, type IngestedKind, ingestedKinds } from "./ingestHandler.js";

/** One handler per inbound kind; adding a kind the ingest takes means adding a row here. */
export const ingestHandlers: { readonly [Kind in IngestedKind]: IngestHandler<Kind> } = {
  events: handleEvents,
  status: handleStatus,
  occupancy: handleOccupancy,
  bundleRequest: handleBundleRequest,
};
