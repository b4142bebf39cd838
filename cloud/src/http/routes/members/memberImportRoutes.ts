import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import {
  type ImportProblem,
  importMembers,
  maxImportBytes,
  previewMemberImport,
} from "../../../domain/memberImport.js";
import type { ServiceDeps } from "../../../domain/serviceDeps.js";
import { HttpProblem } from "../../httpProblem.js";
import { principalOf } from "../../plugins/accessControl.js";
import { actorOf, staffCentres } from "../views/centreScope.js";

const staff = ["manager", "coordinator"] as const;

/**
 * The body may hold a little more than the file (JSON escapes); the byte limit that people
 * meet is the service's (1 MiB), with its own message. Anything past this the server refuses
 * unread with a 413.
 */
const bodyLimit = 4 * maxImportBytes;
const ImportBody = Type.Object(
  { csv: Type.String({ maxLength: 2 * maxImportBytes, description: "the CSV file's text" }) },
  { additionalProperties: false },
);

const ProblemLine = Type.Object({
  line: Type.Integer({ description: "1-based line of the file; 0: the file as a whole" }),
  column: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
});
export const MemberImportPreviewView = Type.Object({
  rows: Type.Array(
    Type.Object({
      line: Type.Integer(),
      name: Type.String(),
      email: Type.String(),
      homeCentreId: Type.Union([Type.String(), Type.Null()]),
      language: Type.String(),
    }),
  ),
  problems: Type.Array(ProblemLine),
});
export type MemberImportPreviewView = Static<typeof MemberImportPreviewView>;

const lineText = (p: ImportProblem) =>
  `${p.line === 0 ? "file" : `line ${p.line}`}${p.column ? `, ${p.column}` : ""}: ${p.message}`;

/**
 * Importing members from a CSV file: a preview (nothing written), then the import itself, all
 * rows or none. A manager imports members of their own centres only.
 */
export const memberImportRoutes: FastifyPluginAsyncTypebox<{ deps: ServiceDeps }> = async (
  app,
  { deps },
) => {
  app.post(
    "/members/import/preview",
    {
      bodyLimit,
      schema: {
        tags: ["members"],
        summary: "Check a CSV file of members: each row, each problem by line (nothing written)",
        body: ImportBody,
        response: { 200: MemberImportPreviewView },
      },
      config: { access: staff },
    },
    async (request) => {
      const scope = staffCentres(principalOf(request));
      const preview = await previewMemberImport(deps.store.db, request.body.csv, scope);
      return { rows: [...preview.rows], problems: [...preview.problems] };
    },
  );

  app.post(
    "/members/import",
    {
      bodyLimit,
      schema: {
        tags: ["members"],
        summary: "Import the members of a CSV file: every row, or none when any row is wrong",
        body: ImportBody,
        response: { 201: Type.Object({ created: Type.Integer() }) },
      },
      config: { access: staff },
    },
    async (request, reply) => {
      const scope = staffCentres(principalOf(request));
      const preview = await previewMemberImport(deps.store.db, request.body.csv, scope);
      if (preview.problems.length > 0)
        throw new HttpProblem(
          400,
          "Bad Request",
          `the file has ${preview.problems.length} problem(s); nothing was imported`,
          preview.problems.slice(0, 100).map((p) => ({ field: "body/csv", message: lineText(p) })),
        );
      const done = await importMembers(deps, actorOf(request), request.body.csv, scope);
      return reply.status(201).send(done);
    },
  );
};
