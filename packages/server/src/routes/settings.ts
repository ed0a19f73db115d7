import type { Store } from '@aura/engine';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, ServerContext } from '../context.ts';
import { jsonBody } from '../http/validate.ts';

export const userSettings = z.object({
  /** `provider/model` new sessions use when they name none; null: the server's default. */
  defaultModel: z
    .string()
    .trim()
    .regex(/^[\w.-]+\/\S{1,200}$/, 'a model such as anthropic/claude-sonnet-4-5')
    .nullable(),
  theme: z.enum(['light', 'dark', 'system']),
});
export type UserSettings = z.infer<typeof userSettings>;

export const updateSettingsBody = userSettings
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'nothing to update');

const DEFAULTS: UserSettings = { defaultModel: null, theme: 'system' };
const KEY = 'preferences';
const scopeOf = (userId: string) => `user:${userId}`;

/** A user's preferences; anything stored that no longer validates falls back to the default. */
export async function readUserSettings(store: Store, userId: string): Promise<UserSettings> {
  const stored = userSettings.partial().safeParse(await store.getSetting(scopeOf(userId), KEY));
  return { ...DEFAULTS, ...(stored.success ? stored.data : {}) };
}

/** The signed-in user's preferences, shared by the web IDE and the CLI. */
export function settingsRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();

  app.get('/settings', async (c) => c.json(await readUserSettings(ctx.store, c.get('userId'))));

  app.put('/settings', async (c) => {
    const body = await jsonBody(c, updateSettingsBody);
    const next = { ...(await readUserSettings(ctx.store, c.get('userId'))), ...body };
    await ctx.store.setSetting(scopeOf(c.get('userId')), KEY, next);
    return c.json(next);
  });

  return app;
}
