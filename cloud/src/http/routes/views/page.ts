import { type TSchema, Type } from "@sinclair/typebox";
import { keysetPage } from "../../../store/keysetPage.js";
import { badRequest } from "../../httpProblem.js";

/** `?limit=&cursor=` of every list (API map: default 50, at most 500). */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: "opaque, from nextCursor" })),
};

/** `{ items, nextCursor }`: nextCursor is null on the last page. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  });

/**
 * The cursor is the last id of the previous page, base64url-wrapped so clients treat it as
 * opaque (its shape may change without breaking them).
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (typeof parsed === "object" && parsed !== null && "after" in parsed) {
      const after = (parsed as { after: unknown }).after;
      if (typeof after === "string" && after.length > 0) return after;
    }
  } catch {
    // falls through to the 400 below
  }
  throw badRequest("querystring/cursor", "is not a cursor this API issued");
}

/**
 * One page of a list, by id (the domain lists are small per centre or per member, so they
 * are read whole and cut here; members, the one large list, page in SQL instead).
 */
export function pageOf<T extends { id: string }>(
  items: readonly T[],
  query: { limit?: number; cursor?: string },
): { items: T[]; nextCursor: string | null } {
  const after = decodeCursor(query.cursor);
  const limit = query.limit ?? 50;
  // Sorted again by code unit: a PostgreSQL collation may order ids differently from `>`.
  const byId = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rest = after === undefined ? byId : byId.filter((item) => item.id > after);
  return pageFromFetched(rest.slice(0, limit + 1), limit);
}

/** `fetched` holds up to limit + 1 items: one more than the page says whether a next exists. */
export function pageFromFetched<T extends { id: string }>(
  fetched: readonly T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const { rows, next } = keysetPage(fetched, limit, (last) => encodeCursor(last.id));
  return { items: rows, nextCursor: next };
}
