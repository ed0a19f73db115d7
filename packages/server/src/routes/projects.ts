import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { newId, toProjectInfo } from '@aura/engine';
import { Hono } from 'hono';
import { z } from 'zod';
import { checkpointGitDir, workspacesDir } from '../config.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { ownedProject } from '../http/ownership.ts';
import { jsonBody, queryParams } from '../http/validate.ts';
import { assertTemplateExists, copyProjectTemplate } from './templates.ts';

export const createProjectBody = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).optional(),
  template: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, 'a template name such as react-vite')
    .optional(),
  /** The sandbox's network (default true); false leaves commands with loopback only. */
  network: z.boolean().optional(),
});

export const updateProjectBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).nullable(),
    thumbnail: z.string().max(500_000).nullable(),
    network: z.boolean(),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'nothing to update');

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
  search: z.string().max(200).optional(),
});

export function projectRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();

  app.get('/projects', async (c) => {
    const query = queryParams(c, pageQuery);
    const page = await ctx.store.listProjects({ userId: c.get('userId'), ...query });
    return c.json({
      items: page.items.map(toProjectInfo),
      total: page.total,
      limit: query.limit,
      offset: query.offset,
    });
  });

  app.post('/projects', async (c) => {
    const body = await jsonBody(c, createProjectBody);
    if (body.template) await assertTemplateExists(body.template);
    const id = newId('prj');
    const workspace = join(workspacesDir(ctx.options), id);
    await mkdir(workspace, { recursive: true, mode: 0o755 });
    let project: Awaited<ReturnType<typeof ctx.store.createProject>>;
    try {
      if (body.template) await copyProjectTemplate(ctx, body.template, workspace, id);
      project = await ctx.store.createProject({
        id,
        userId: c.get('userId'),
        name: body.name,
        description: body.description ?? null,
        template: body.template ?? null,
        workspace,
        network: body.network ?? true,
      });
      if (body.network === false) await ctx.sandboxes.setNetwork(workspace, false);
    } catch (error) {
      await rm(workspace, { recursive: true, force: true });
      throw error;
    }
    return c.json(toProjectInfo(project), 201);
  });

  app.get('/projects/:id', async (c) =>
    c.json(toProjectInfo(await ownedProject(ctx, c.get('userId'), c.req.param('id')))),
  );

  app.patch('/projects/:id', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    const body = await jsonBody(c, updateProjectBody);
    const switching = body.network !== undefined && body.network !== project.network;
    if (switching && ctx.runs.activeInProject(project.id))
      throw new HttpError(
        409,
        'run_active',
        "The agent is working in this project: stop the run before switching the sandbox's network.",
      );
    const updated = await ctx.store.updateProject(project.id, body);
    // The sandbox is remade with the new setting: its dev server and terminals stop.
    if (switching && body.network !== undefined)
      await ctx.sandboxes.setNetwork(project.workspace, body.network);
    return c.json(toProjectInfo(updated ?? project));
  });

  app.delete('/projects/:id', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    await ctx.runs.stopProject(project.id);
    await ctx.sandboxes.release(project.workspace);
    ctx.sandboxes.forget(project.workspace);
    await ctx.store.deleteProject(project.id);
    await rm(project.workspace, { recursive: true, force: true });
    await rm(checkpointGitDir(ctx.options, project.id), { recursive: true, force: true });
    return c.body(null, 204);
  });

  return app;
}
