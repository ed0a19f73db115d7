import { Hono } from 'hono';
import { z } from 'zod';
import { newApiToken } from '../auth/tokens.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { jsonBody } from '../http/validate.ts';

export const createTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export function tokenRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();

  app.get('/me', async (c) => {
    const userId = c.get('userId');
    // By id, not from the cookie session: token-authenticated callers (the CLI) have no cookie.
    const user = await (await ctx.auth.$context).internalAdapter.findUserById(userId);
    return c.json({
      id: userId,
      email: user?.email ?? null,
      name: user?.name ?? null,
      via: c.get('authVia'),
    });
  });

  app.get('/tokens', async (c) => c.json({ items: await ctx.store.listApiTokens(c.get('userId')) }));

  /** The token is shown once, in this response; only its hash is kept. */
  app.post('/tokens', async (c) => {
    const body = await jsonBody(c, createTokenBody);
    const { token, hash, prefix } = newApiToken();
    const info = await ctx.store.createApiToken({
      userId: c.get('userId'),
      name: body.name,
      tokenHash: hash,
      prefix,
      expiresAt: body.expiresInDays ? Date.now() + body.expiresInDays * 86_400_000 : null,
    });
    return c.json({ ...info, token }, 201);
  });

  /** Revokes the token this request is authenticated with (`aura auth logout`): no id needed. */
  app.delete('/me/token', async (c) => {
    const tokenId = c.get('tokenId');
    if (!tokenId)
      throw new HttpError(
        400,
        'not_token_auth',
        'This request is not authenticated with a personal API token, so there is no token to revoke.',
      );
    if (!(await ctx.store.deleteApiToken(c.get('userId'), tokenId))) throw notFound('Token');
    return c.body(null, 204);
  });

  app.delete('/tokens/:id', async (c) => {
    const id = c.req.param('id');
    if (id.includes('\0') || !(await ctx.store.deleteApiToken(c.get('userId'), id))) throw notFound('Token');
    return c.body(null, 204);
  });

  return app;
}
