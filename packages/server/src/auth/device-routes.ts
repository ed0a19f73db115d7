import { ConflictError } from '@aura/engine';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { jsonBody } from '../http/validate.ts';
import { clientAddress } from '../routes/auth.ts';
import { RateLimiter } from '../security/rate-limit.ts';
import {
  DEVICE_CODE_LIFETIME_S,
  DEVICE_POLL_INTERVAL_S,
  deviceTokenName,
  formatUserCode,
  newDeviceCode,
  newUserCode,
  normalizeUserCode,
} from './device.ts';
import { hashToken, newApiToken } from './tokens.ts';

/**
 * Device login (RFC 8628) for the terminal client: it asks for a pair of codes, a signed-in
 * person approves the user code in the IDE, and the client's next poll collects a personal API
 * token. All state is in the database, so any server process may answer any step.
 */

export const deviceCodeBody = z.object({
  client_name: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[^\p{Cc}\p{Cf}]*$/u, { error: 'must not contain control or formatting characters' })
    .optional(),
});

export const deviceTokenBody = z.object({ device_code: z.string().min(1).max(200) });

export const userCodeBody = z.object({
  userCode: z
    .string()
    .max(32)
    .refine((code) => normalizeUserCode(code) !== undefined, {
      error: 'must be the 8-letter code the terminal shows, like BCDF-GHJK',
    }),
});

export const deviceCodeResponse = z.object({
  device_code: z.string(),
  user_code: z.string(),
  verification_uri: z.string(),
  verification_uri_complete: z.string(),
  expires_in: z.number(),
  interval: z.number(),
});

export const deviceRequestInfo = z.object({
  userCode: z.string(),
  clientName: z.string(),
  createdAt: z.number(),
  expiresAt: z.number(),
});

const DEFAULT_CLIENT_NAME = 'a terminal';
/** Lookups and decisions per person per minute: far above any person, far below guessing codes. */
const USER_CODE_ATTEMPTS_PER_MINUTE = 30;
const USER_CODE_ISSUE_ATTEMPTS = 3;

/** The unauthenticated half: the client starts a login and polls for its token. */
export function deviceLoginRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();

  app.post('/code', async (c) => {
    ctx.limits.authAttempts.take(clientAddress(c.env), 'device login requests');
    const body = await jsonBody(c, deviceCodeBody);
    const deviceCode = newDeviceCode();
    const userCode = await issueUserCode(ctx, {
      deviceCodeHash: hashToken(deviceCode),
      clientName: body.client_name ?? DEFAULT_CLIENT_NAME,
    });
    const verificationUri = `${ctx.options.baseUrl}/device`;
    noStore(c);
    return c.json({
      device_code: deviceCode,
      user_code: formatUserCode(userCode),
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?code=${formatUserCode(userCode)}`,
      expires_in: DEVICE_CODE_LIFETIME_S,
      interval: DEVICE_POLL_INTERVAL_S,
    });
  });

  app.post('/token', async (c) => {
    const body = await jsonBody(c, deviceTokenBody);
    noStore(c);
    const poll = await ctx.store.pollDeviceCode(hashToken(body.device_code));
    switch (poll.outcome) {
      case 'pending':
        throw pollError('authorization_pending', 'The sign-in has not been approved yet. Keep polling.');
      case 'slow_down':
        throw pollError(
          'slow_down',
          `Polling too fast: wait at least ${poll.intervalSeconds} s between requests.`,
        );
      case 'expired':
        throw pollError('expired_token', 'The code expired before it was approved. Start the sign-in again.');
      case 'denied':
        throw pollError('access_denied', 'The sign-in was denied in the browser.');
      case 'redeemed':
        throw pollError('invalid_grant', 'This code was already used. Start the sign-in again.');
      case 'unknown':
        throw pollError('invalid_grant', 'No sign-in was started with this device code.');
      case 'approved': {
        const { token, hash, prefix } = newApiToken();
        const info = await ctx.store.createApiToken({
          userId: poll.userId,
          name: deviceTokenName(poll.clientName),
          tokenHash: hash,
          prefix,
        });
        ctx.logger.info({ userId: poll.userId, tokenId: info.id }, 'device login: API token issued');
        return c.json({ access_token: token, token_type: 'Bearer', api_token: info });
      }
    }
  });

  return app;
}

/** The signed-in half, mounted behind requireUser and the same-origin check: the IDE's /device page. */
export function deviceApprovalRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();
  const attempts = new RateLimiter(USER_CODE_ATTEMPTS_PER_MINUTE, 60_000);

  /** The body's user code (normalised) and its digest, once the person is within their attempts. */
  const typedCode = async (c: Context<AppEnv>) => {
    attempts.take(c.get('userId'), 'device code attempts');
    const { userCode } = await jsonBody(c, userCodeBody);
    const code = normalizeUserCode(userCode) ?? '';
    return { code, hash: hashToken(code) };
  };

  app.post('/device/lookup', async (c) => {
    const { code, hash } = await typedCode(c);
    const request = await ctx.store.findPendingDeviceCode(hash);
    if (!request) throw unknownUserCode();
    return c.json({ userCode: formatUserCode(code), ...request });
  });

  for (const decision of ['approved', 'denied'] as const) {
    app.post(decision === 'approved' ? '/device/approve' : '/device/deny', async (c) => {
      const { hash } = await typedCode(c);
      const userId = c.get('userId');
      if (!(await ctx.store.decideDeviceCode(hash, userId, decision))) throw unknownUserCode();
      ctx.logger.info({ userId, decision }, 'device login decided');
      return c.json({ status: decision });
    });
  }

  return app;
}

/** Retries the rare user code that a live login already holds. */
async function issueUserCode(
  ctx: ServerContext,
  login: { deviceCodeHash: string; clientName: string },
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const userCode = newUserCode();
    try {
      await ctx.store.createDeviceCode({
        ...login,
        userCodeHash: hashToken(userCode),
        intervalSeconds: DEVICE_POLL_INTERVAL_S,
        expiresAt: Date.now() + DEVICE_CODE_LIFETIME_S * 1000,
      });
      return userCode;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= USER_CODE_ISSUE_ATTEMPTS) throw error;
    }
  }
}

/** RFC 8628 §3.5's answers, in Aura's error body: `{ error: { code, message } }`. */
function pollError(code: string, message: string): HttpError {
  return new HttpError(400, code, message);
}

/** Unknown, expired, decided and someone else's codes look the same. */
const unknownUserCode = () =>
  new HttpError(
    404,
    'not_found',
    'No pending sign-in has this code: it may have expired, been used already, or been mistyped.',
  );

/** RFC 6749 §5.1: responses that carry credentials are never cached. */
function noStore(c: Context<AppEnv>): void {
  c.header('Cache-Control', 'no-store');
}
