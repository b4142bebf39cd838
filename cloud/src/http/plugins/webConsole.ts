import { existsSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { refuseTooLongSegment } from "../problemReply.js";

/** Paths the console never answers: the API and the service endpoints keep their own 404s. */
const serviceRoots = ["/api/", "/api", "/healthz", "/metrics", "/openapi.json", "/docs"];

/** The page's own rules: scripts, styles and API calls from this origin only. */
const contentSecurityPolicy =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Where the built console is: `console/dist/app` of the repository, found from this file
 * whether it runs from the sources (cloud/src/http/plugins) or from a tsc build
 * (cloud/dist/src/http/plugins). PASSERELLE_CONSOLE_DIR overrides it (a packaged install).
 */
export function locateConsoleDist(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.PASSERELLE_CONSOLE_DIR) return env.PASSERELLE_CONSOLE_DIR;
  for (const up of ["../../../../console/dist/app", "../../../../../console/dist/app"]) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(join(dir, "index.html"))) return dir;
  }
  return null;
}

function isServicePath(path: string): boolean {
  return serviceRoots.some((root) => path === root || path.startsWith(`${root}/`));
}

function sendIndex(reply: FastifyReply) {
  return reply
    .header("cache-control", "no-cache")
    .header("content-security-policy", contentSecurityPolicy)
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .sendFile("index.html");
}

/**
 * Serves the web console (docs/console.md) at `/`, same origin as /api/v1: its files as they
 * are, hashed assets cached for a year, and index.html for any other GET that is not an API or
 * service path, so a reload on /board/redu opens the page the browser was on (history routing).
 * Without a build it says how to make one rather than failing the API.
 */
export async function webConsole(app: FastifyInstance, options: { dir: string | null }) {
  const dir = options.dir;
  if (dir === null) {
    app.get(
      "/",
      { schema: { hide: true }, config: { access: "public" } },
      async (_request, reply) =>
        reply
          .status(503)
          .type("text/plain; charset=utf-8")
          .send(
            "The web console is not built: run `npm run build -w console` (see docs/console.md).\n",
          ),
    );
    return;
  }
  // The build writes .br and .gz twins (console/scripts/precompress.ts): sent when accepted.
  await app.register(fastifyStatic, { root: dir, serve: false, preCompressed: true });
  app.get(
    "/*",
    { schema: { hide: true }, config: { access: "public" } },
    async (request, reply) => {
      const path = (request.params as { "*": string })["*"] ?? "";
      if (isServicePath(`/${path}`)) {
        if (refuseTooLongSegment(request, reply)) return reply;
        return reply.callNotFound();
      }
      const file = path.replace(/^\/+/, "");
      if (file !== "" && !file.includes("..") && existsSync(join(dir, file))) {
        const immutable = file.startsWith("assets/");
        return reply.sendFile(file, {
          immutable,
          maxAge: immutable ? 365 * 86_400_000 : 0,
          cacheControl: true,
        });
      }
      // A missing asset is a 404; a missing page is the console's router's business.
      if (extname(file) !== "") return reply.callNotFound();
      return sendIndex(reply);
    },
  );
}
