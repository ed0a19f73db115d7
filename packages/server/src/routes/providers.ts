import { lookup } from 'node:dns/promises';
import {
  type AuraConfig,
  builtinProviders,
  classifyAddress,
  classifyError,
  configuredProviders,
  defaultPrices,
  mergeConfigs,
  resolveModel,
  resolveSettings,
} from '@aura/engine';
import { generateText } from 'ai';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { jsonBody } from '../http/validate.ts';
import { keyHint } from '../providers/user-config.ts';
import { BUNDLED_DEMO } from '../runs/demo.ts';

const providerName = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, 'a provider name such as anthropic or openai-compatible');

export const setProviderKeyBody = z.object({
  apiKey: z.string().trim().min(1).max(1000).optional(),
  baseUrl: z.string().url().max(1000).optional(),
});

export const testProviderBody = z.object({
  apiKey: z.string().trim().min(1).max(1000).optional(),
  baseUrl: z.string().url().max(1000).optional(),
  model: z.string().min(1).max(200).optional(),
});

/** Refuses base URLs that resolve to internal addresses unless the operator allows them. */
async function checkBaseUrl(ctx: ServerContext, baseUrl: string | undefined): Promise<void> {
  if (!baseUrl || ctx.options.allowPrivateProviderUrls) return;
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
  const addresses = await lookup(host, { all: true }).catch(() => []);
  const blocked = addresses.map((a) => classifyAddress(a.address)).find(Boolean);
  if (addresses.length === 0 || blocked) {
    throw new HttpError(
      400,
      'private_address',
      `The base URL ${baseUrl} ${addresses.length === 0 ? 'does not resolve' : `points to a ${blocked} address`}; this server only lets users reach public endpoints (the operator can set AURA_ALLOW_PRIVATE_PROVIDER_URLS=1).`,
    );
  }
}

function knownProvider(name: string): string {
  const parsed = providerName.safeParse(name);
  if (!parsed.success || !builtinProviders[name]) {
    throw new HttpError(
      400,
      'unknown_provider',
      `Unknown provider "${name}". Known: ${Object.keys(builtinProviders).join(', ')}.`,
    );
  }
  return name;
}

/**
 * Providers a user's runs can use on this server. A local runtime (Ollama, LM Studio) counts only
 * once its URL is set (server env or config, or the user's own): the server host's loopback is not
 * the user's machine, so it is never assumed.
 */
function availableOnServer(config: AuraConfig, env: NodeJS.ProcessEnv): string[] {
  return configuredProviders(config, env).filter(
    (name) => !builtinProviders[name]?.local || Boolean(resolveSettings(name, config, env).baseURL),
  );
}

/** The user's stored key for a provider, opened; undefined when there is none. */
async function storedApiKey(
  ctx: ServerContext,
  userId: string,
  provider: string,
): Promise<string | undefined> {
  const sealed = await ctx.store.getProviderKeyCiphertext(userId, provider);
  return (sealed && ctx.secrets.open(sealed.ciphertext)) || undefined;
}

/** Provider keys are write-only: responses carry a hint (last four characters), never the key. */
export function providerRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();

  app.get('/providers', async (c) => {
    const userId = c.get('userId');
    const saved = new Map((await ctx.store.listProviderKeys(userId)).map((k) => [k.provider, k]));
    const serverSide = new Set(availableOnServer({}, ctx.env));
    return c.json({
      items: Object.entries(builtinProviders).map(([name, provider]) => ({
        provider: name,
        envVars: provider.keyEnv,
        configuredByServer: serverSide.has(name),
        key: saved.get(name) ?? null,
      })),
    });
  });

  app.put('/providers/:provider', async (c) => {
    const provider = knownProvider(c.req.param('provider'));
    const body = await jsonBody(c, setProviderKeyBody);
    if (!body.apiKey && !body.baseUrl)
      throw new HttpError(400, 'invalid_body', 'Send an apiKey, a baseUrl, or both.');
    await checkBaseUrl(ctx, body.baseUrl);
    const userId = c.get('userId');
    // Without a new key, a stored one stays (changing only the URL keeps the key).
    const apiKey = body.apiKey || (await storedApiKey(ctx, userId, provider));
    const info = await ctx.store.setProviderKey({
      userId,
      provider,
      ciphertext: ctx.secrets.seal(apiKey ?? ''),
      hint: apiKey ? keyHint(apiKey) : '',
      baseUrl: body.baseUrl ?? null,
    });
    return c.json(info);
  });

  app.delete('/providers/:provider', async (c) => {
    const provider = knownProvider(c.req.param('provider'));
    if (!(await ctx.store.deleteProviderKey(c.get('userId'), provider))) throw notFound('Provider key');
    return c.body(null, 204);
  });

  /** Makes the smallest possible call (one output token) with the given or saved key. */
  app.post('/providers/:provider/test', async (c) => {
    const provider = knownProvider(c.req.param('provider'));
    const body = await jsonBody(c, testProviderBody);
    await checkBaseUrl(ctx, body.baseUrl);
    const saved = await ctx.configFor(c.get('userId'));
    const override =
      body.apiKey || body.baseUrl
        ? { providers: { [provider]: { apiKey: body.apiKey, baseURL: body.baseUrl } } }
        : {};
    const config = mergeConfigs(saved, JSON.parse(JSON.stringify(override)));
    const model = body.model ?? builtinProviders[provider]?.defaultModel;
    if (!model)
      throw new HttpError(
        400,
        'model_required',
        `Name a model to test ${provider} with, e.g. {"model": "qwen2.5-coder"}.`,
      );
    const started = performance.now();
    try {
      const resolved = await resolveModel(`${provider}/${model}`, { config, env: ctx.env });
      await generateText({
        model: resolved.base,
        prompt: 'Reply with OK.',
        maxOutputTokens: 1,
        maxRetries: 0,
        abortSignal: AbortSignal.timeout(20_000),
      });
      return c.json({
        ok: true,
        model: `${provider}/${model}`,
        latencyMs: Math.round(performance.now() - started),
      });
    } catch (error) {
      const info = classifyError(error);
      return c.json({ ok: false, model: `${provider}/${model}`, kind: info.kind, message: info.message });
    }
  });

  app.get('/models', async (c) => {
    const config = await ctx.configFor(c.get('userId'));
    const configured = new Set(availableOnServer(config, ctx.env));
    return c.json({
      items: Object.entries(builtinProviders).flatMap(([name, provider]) =>
        provider.models.map((model) => ({
          id: `${name}/${model}`,
          provider: name,
          available: configured.has(name),
          price: defaultPrices[`${name}/${model}`] ?? null,
        })),
      ),
      scriptedAllowed: ctx.options.allowScriptedModels,
      demo: ctx.options.allowScriptedModels ? BUNDLED_DEMO : null,
    });
  });

  return app;
}
