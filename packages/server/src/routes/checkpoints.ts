import {
  CheckpointNotFoundError,
  diffCheckpoint,
  listCheckpoints,
  type ProjectRecord,
  restoreCheckpoint,
} from '@aura/engine';
import { Hono } from 'hono';
import { z } from 'zod';
import { checkpointGitDir } from '../config.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { ownedProject } from '../http/ownership.ts';
import { queryParams } from '../http/validate.ts';

const checkpointFile = z.object({ path: z.string(), status: z.enum(['added', 'modified', 'deleted']) });
/** Response shapes, for the OpenAPI document. */
export const checkpointSchema = z.object({
  id: z.string(),
  message: z.string(),
  createdAt: z.number(),
  sessionId: z.string().nullable(),
  runId: z.string().nullable(),
  messageId: z.string().nullable(),
  restoredFrom: z.string().nullable(),
  files: z.array(checkpointFile),
});
export const checkpointDiffSchema = z.object({
  id: z.string(),
  diff: z.string(),
  truncated: z.boolean(),
  files: z.array(
    checkpointFile.extend({
      additions: z.number().nullable(),
      deletions: z.number().nullable(),
      binary: z.boolean(),
    }),
  ),
});
export const restoreResultSchema = z.object({
  restoredFiles: z.array(z.string()),
  deletedFiles: z.array(z.string()),
  checkpoint: checkpointSchema.optional(),
});

export const checkpointListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const repoOf = (ctx: ServerContext, project: ProjectRecord) => ({
  workspace: project.workspace,
  gitDir: checkpointGitDir(ctx.options, project.id),
});

/** Unknown checkpoint ids are 404s like any other id. */
async function found<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof CheckpointNotFoundError) throw notFound('Checkpoint');
    throw error;
  }
}

export function checkpointRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();

  app.get('/projects/:id/checkpoints', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    const { limit } = queryParams(c, checkpointListQuery);
    return c.json({ items: await listCheckpoints({ ...repoOf(ctx, project), limit }), limit });
  });

  app.get('/projects/:id/checkpoints/:checkpointId/diff', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    return c.json(await found(diffCheckpoint({ ...repoOf(ctx, project), id: c.req.param('checkpointId') })));
  });

  app.post('/projects/:id/checkpoints/:checkpointId/restore', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    if (ctx.runs.activeInProject(project.id)) {
      throw new HttpError(
        409,
        'run_active',
        'A run is in progress in this project. Cancel it or wait for it to finish, then restore.',
      );
    }
    const result = await found(
      restoreCheckpoint({ ...repoOf(ctx, project), id: c.req.param('checkpointId') }),
    );
    if (result.checkpoint) await ctx.store.touchProject(project.id);
    return c.json(result);
  });

  return app;
}
