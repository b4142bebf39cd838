import { AjvCompiler } from "@fastify/ajv-compiler";
import type { FastifyServerOptions } from "fastify";

/** What every route schema is checked with: report all problems, never strip a property. */
const shared = { removeAdditional: false, allErrors: true } as const;

type Compile = (route: { schema: unknown; httpPart?: string }) => unknown;

/**
 * Two ajv instances behind fastify's schema controller. Query strings, path parameters and
 * headers arrive as text, so "limit=20" must become a number there ("array": a lone value for
 * an array field too). A JSON body says its own types: coercing it would let `{"name": 123}`
 * through as "123" and `{"disabled": "true"}` as true, where the API promises a 400 naming the
 * field for a wrong type. So bodies are checked without coercion.
 */
export const schemaController: NonNullable<FastifyServerOptions["schemaController"]> = {
  compilersFactory: {
    buildValidator: ((externalSchemas: Record<string, unknown>, serverOptions?: object) => {
      const pool = AjvCompiler();
      const build = (coerceTypes: "array" | false) =>
        pool(externalSchemas as never, {
          ...(serverOptions ?? {}),
          customOptions: { ...shared, coerceTypes },
        }) as unknown as Compile;
      const textParts = build("array");
      const body = build(false);
      return (route: { schema: unknown; httpPart?: string }) =>
        (route.httpPart === "body" ? body : textParts)(route);
    }) as never,
  },
};
