/**
 * An error that becomes an RFC 9457 problem document. Services throw their own area's errors
 * (with a stable code); problemDetails.ts maps those codes to a status here, in one place.
 */
export interface FieldProblem {
  /** Where: "body/end", "querystring/from", "params/id". */
  field: string;
  message: string;
}

export class HttpProblem extends Error {
  override readonly name = "HttpProblem";
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
    readonly errors: readonly FieldProblem[] = [],
  ) {
    super(detail ?? title);
  }
}

export const notFound = (what = "resource") => new HttpProblem(404, "Not Found", `no such ${what}`);
export const forbidden = (detail = "your role does not allow this") =>
  new HttpProblem(403, "Forbidden", detail);
export const unauthenticated = () =>
  new HttpProblem(401, "Unauthorized", "log in or present an API token");
export const badRequest = (field: string, message: string) =>
  new HttpProblem(400, "Bad Request", `${field}: ${message}`, [{ field, message }]);
