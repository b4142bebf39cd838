import type { PageDefinition } from "./page.js";

export interface Match {
  page: PageDefinition;
  params: Record<string, string>;
}

/** Finds the page for a path ("/board/redu" against "/board/:centreId"). */
export function matchRoute(pages: readonly PageDefinition[], path: string): Match | null {
  const parts = path.split("/").filter(Boolean);
  for (const page of pages) {
    const pattern = page.path.split("/").filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const fits = pattern.every((segment, i) => {
      const part = parts[i] ?? "";
      if (segment.startsWith(":")) {
        params[segment.slice(1)] = decodeURIComponent(part);
        return true;
      }
      return segment === part;
    });
    if (fits) return { page, params };
  }
  return null;
}
