import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { figureRoutes } from "./figureRoutes.js";
import { monthRoutes } from "./monthRoutes.js";
import { reportRoutes } from "./reportRoutes.js";
import { sessionRoutes } from "./sessionRoutes.js";

/** Hours, settlement, sessions and months (docs/hours.md). */
export const hoursRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  await app.register(reportRoutes, { deps });
  await app.register(figureRoutes, { deps });
  await app.register(sessionRoutes, { deps });
  await app.register(monthRoutes, { deps });
};
