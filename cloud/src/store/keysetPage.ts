/**
 * A page of a keyset-paginated query run with `LIMIT limit + 1`: the extra row is never shown,
 * it only says that a next page exists, which then starts after the last row shown.
 */
export function keysetPage<Row, Cursor>(
  fetched: readonly Row[],
  limit: number,
  cursorOf: (last: Row) => Cursor,
): { rows: Row[]; next: Cursor | null } {
  const rows = fetched.slice(0, limit);
  const last = rows.at(-1);
  return { rows, next: fetched.length > limit && last !== undefined ? cursorOf(last) : null };
}
