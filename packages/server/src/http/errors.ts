import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every error response has this body: a stable code for programs, a message for people. */
export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly issues: ErrorBody['error']['issues'];
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    extra: { issues?: ErrorBody['error']['issues']; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = extra.issues;
    this.headers = extra.headers ?? {};
  }

  toBody(): ErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) },
    };
  }
}

/** The same 404 for "doesn't exist" and "isn't yours", so ids reveal nothing. */
export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
