import type { ApiClient, Query } from "../api/client.js";
import { h } from "../dom.js";

/**
 * Downloads a CSV route: fetched with the session token (a plain link could not send it),
 * then handed to the browser as a file.
 */
export async function downloadFile(api: ApiClient, path: string, query: Query, filename: string) {
  const blob = await api.download(path, query);
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
