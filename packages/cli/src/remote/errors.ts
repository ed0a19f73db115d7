/** Why talking to an Aura server failed, for callers that react differently to each. */
export type RemoteFailure =
  | 'invalid_url'
  | 'unreachable'
  | 'not_aura'
  | 'unauthorized'
  | 'not_logged_in'
  | 'credentials'
  /** The server answered with an Aura error (its `code` and `status` are set). */
  | 'api';

/**
 * A failure in remote mode. The message is meant to be shown to the person as is; it never
 * contains a token.
 */
export class RemoteError extends Error {
  override name = 'RemoteError';
  readonly kind: RemoteFailure;
  readonly status: number | undefined;
  /** The server's `error.code` for `api` failures (`run_active`, `not_found`, …). */
  readonly code: string | undefined;

  constructor(
    kind: RemoteFailure,
    message: string,
    extra: { status?: number; code?: string; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.kind = kind;
    this.status = extra.status;
    this.code = extra.code;
  }
}
