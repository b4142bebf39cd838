/**
 * The cloud's HTTP API as a client sees it: log in, then call routes with the bearer token.
 * `has()` reads the served OpenAPI document, so a test uses a route as soon as it exists and
 * falls back to the demo control channel before (see docs/demo.md, "End-to-end tests").
 */
export class ApiClient {
  private token: string | undefined;
  private routes = new Set<string>();

  constructor(private readonly baseUrl: string) {}

  async login(email: string, password: string): Promise<void> {
    const response = await fetch(`${this.baseUrl}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    if (!response.ok) throw new Error(`login ${email}: HTTP ${response.status}`);
    this.token = ((await response.json()) as { token: string }).token;
    const openapi = (await (await fetch(`${this.baseUrl}/openapi.json`)).json()) as {
      paths?: Record<string, Record<string, unknown>>;
    };
    this.routes = new Set(
      Object.entries(openapi.paths ?? {}).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
  }

  /** `has("POST", "/badges/{badgeId}/revoke")`: the route is served. */
  has(method: string, path: string): boolean {
    return this.routes.has(`${method} /api/v1${path}`);
  }

  async get<T>(path: string, query: Record<string, string | number> = {}): Promise<T> {
    const search = new URLSearchParams(
      Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]),
    );
    return this.call<T>("GET", `${path}${search.size > 0 ? `?${search}` : ""}`);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>("POST", path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.call<T>("DELETE", path);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token ?? ""}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new ApiError(method, path, response.status, text);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }
}

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path}: HTTP ${status} ${body.slice(0, 300)}`);
    this.name = "ApiError";
  }
}
