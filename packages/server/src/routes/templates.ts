import { join } from 'node:path';
import { copyTemplate, listTemplates, TemplateError, type TemplateProgress } from '@aura/engine';
import { Hono } from 'hono';
import { z } from 'zod';
import type { ServerOptions } from '../config.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';

export const templateInfo = z.object({
  name: z.string(),
  description: z.string(),
  default: z.boolean(),
});

export const templateList = z.object({ items: z.array(templateInfo) });

/** Where prepared template dependencies and npm's download cache live. */
export const templateCacheDirs = (options: Pick<ServerOptions, 'dataDir'>) => ({
  cacheDir: join(options.dataDir, 'cache', 'templates'),
  npmCacheDir: join(options.dataDir, 'cache', 'npm'),
});

export function templateRoutes(_ctx: ServerContext) {
  const app = new Hono<AppEnv>();

  app.get('/templates', async (c) => {
    const templates = await listTemplates();
    return c.json({
      items: templates.map((t, index) => ({
        name: t.name,
        description: t.description,
        default: index === 0,
      })),
    });
  });

  return app;
}

/** 400 unless `name` is a template there is; the message lists the ones there are. */
export async function assertTemplateExists(name: string): Promise<void> {
  const names = (await listTemplates()).map((t) => t.name);
  if (names.includes(name)) return;
  const message = `Unknown template "${name}". Available templates: ${names.join(', ')}.`;
  throw new HttpError(400, 'unknown_template', message, { issues: [{ path: 'template', message }] });
}

/**
 * Copies a template into a new, empty workspace and links its dependencies from the cache. The
 * first project of a template (per dependency set) waits for the install into the cache; later
 * ones take a fraction of a second. When the install fails (offline registry), the project still
 * gets the template's files: the preview runs the manifest's install itself when node_modules is
 * missing.
 */
export async function copyProjectTemplate(
  ctx: ServerContext,
  name: string,
  workspace: string,
  projectId: string,
): Promise<void> {
  const log = ctx.logger.child({ projectId, template: name });
  const started = performance.now();
  const onProgress = (event: TemplateProgress) => {
    switch (event.type) {
      case 'install_start':
        log.info(
          { key: event.key, command: event.command },
          'template dependencies: installing into the cache',
        );
        break;
      case 'install_output':
        log.debug({ line: event.line }, 'template install');
        break;
      case 'install_done':
        log.info({ key: event.key, ms: event.ms }, 'template dependencies: cache ready');
        break;
      case 'cache_wait':
        log.info({ key: event.key }, 'template dependencies: waiting for another install of the same cache');
        break;
      case 'dependencies':
        log.info({ mode: event.mode, files: event.files, ms: event.ms }, 'template dependencies: linked');
        break;
      default:
        break;
    }
  };
  try {
    await copyTemplate(name, workspace, { ...templateCacheDirs(ctx.options), onProgress });
  } catch (error) {
    if (!(error instanceof TemplateError) || error.code !== 'install_failed') throw error;
    log.warn({ err: error }, 'template dependencies could not be installed; the preview will install them');
  }
  log.info({ ms: Math.round(performance.now() - started) }, 'project created from template');
}
