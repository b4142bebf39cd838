/** A problem+json answer (RFC 9457) from the API, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly fields: readonly { field: string; message: string }[] = [],
  ) {
    super(detail || title);
    this.name = "ApiError";
  }

  static async from(response: Response): Promise<ApiError> {
    let body: { title?: string; detail?: string; errors?: { field: string; message: string }[] } =
      {};
    try {
      body = (await response.json()) as typeof body;
    } catch {
      // Not JSON (a proxy's page): the status says enough.
    }
    return new ApiError(
      response.status,
      body.title ?? response.statusText,
      body.detail ?? "",
      body.errors ?? [],
    );
  }
}
