import { ApiError } from "./apiError.js";

export type Query = Record<string, string | number | boolean | null | undefined>;

/** A list page as every list route answers it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === "") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * The API v1 client: same origin, bearer session token, problem+json errors as ApiError.
 * `onUnauthorized` lets the app return to the login page when the session has ended.
 */
export class ApiClient {
  constructor(
    private readonly token: () => string | null,
    private readonly onUnauthorized: () => void = () => {},
    private readonly base = "/api/v1",
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const token = this.token();
    return { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
  }

  async request(method: string, path: string, body?: unknown, init: RequestInit = {}) {
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        ...init,
        method,
        headers: this.headers(body === undefined ? {} : { "content-type": "application/json" }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      throw new ApiError(0, "Network", (error as Error).message);
    }
    if (response.status === 401 && this.token() !== null) this.onUnauthorized();
    if (!response.ok) throw await ApiError.from(response);
    return response;
  }

  async get<T>(path: string, query?: Query, init?: RequestInit): Promise<T> {
    return (await (await this.request("GET", withQuery(path, query), undefined, init)).json()) as T;
  }

  async post<T>(path: string, body: unknown = {}): Promise<T> {
    const response = await this.request("POST", path, body);
    return (response.status === 204 ? null : await response.json()) as T;
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return (await (await this.request("PATCH", path, body)).json()) as T;
  }

  async delete(path: string): Promise<void> {
    await this.request("DELETE", path);
  }

  /** A file (CSV) fetched with the session token, since a plain link cannot send the header. */
  async download(path: string, query?: Query): Promise<Blob> {
    return (await this.request("GET", withQuery(path, query))).blob();
  }

  /** Every page of a list, following nextCursor (bounded, for pickers such as centres). */
  async all<T>(path: string, query: Query = {}, maxPages = 20): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page += 1) {
      const answer: Page<T> = await this.get<Page<T>>(path, { ...query, limit: 500, cursor });
      items.push(...answer.items);
      cursor = answer.nextCursor;
      if (cursor === null) break;
    }
    return items;
  }
}
