import type { ApiClient } from "./api/client.js";
import type { MessageKey } from "./i18n/fr.js";
import type { Me, Role } from "./session.js";

/** What a page is given: the API, who is calling, the path's parameters, and a signal that
 * aborts when the page is left (to stop live streams). */
export interface PageContext {
  api: ApiClient;
  me: Me;
  params: Record<string, string>;
  query: URLSearchParams;
  signal: AbortSignal;
  navigate(path: string, replace?: boolean): void;
  /** Replaces the session token (a password change ends the old session and returns a new one). */
  adoptSession(session: { token: string; expiresAt: string }): void;
}

export interface PageDefinition {
  /** "/board/:centreId" */
  path: string;
  title: MessageKey;
  /** Any of these roles may open it. */
  roles: readonly Role[];
  render(context: PageContext): Promise<Node> | Node;
}
