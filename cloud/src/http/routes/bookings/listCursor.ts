import { badRequest } from "../../httpProblem.js";

/**
 * Opaque list cursors (docs/api.md "Lists"): the sort key of the last item of a page, as
 * base64url JSON. Clients pass it back unchanged; anything else is a 400 on `cursor`.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

export function decodeCursor<T extends readonly (string | number)[]>(
  value: string,
  isKey: (key: unknown) => key is T,
): T {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    key = undefined;
  }
  if (!isKey(key)) throw badRequest("querystring/cursor", "is not a cursor this API gave out");
  return key;
}
