import { lstat, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import {
  type ResolveOptions,
  resolveWorkspacePath,
  ToolError,
  walkWorkspace,
  workspaceRules,
} from '@aura/engine';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { ownedProject } from '../http/ownership.ts';
import { jsonBody } from '../http/validate.ts';
import { deniedCommand } from '../runs/rules.ts';

const maxTreeEntries = 5_000;
const maxReadBytes = 5 * 1024 * 1024;

export const putFileBody = z.object({
  content: z.string(),
  encoding: z.enum(['utf8', 'base64']).default('utf8'),
});
export const moveFileBody = z.object({ from: z.string().min(1).max(4096), to: z.string().min(1).max(4096) });
export const makeFolderBody = z.object({ path: z.string().min(1).max(4096) });
export const execBody = z.object({
  command: z.string().min(1).max(100_000),
  timeout_ms: z.number().int().min(1).max(600_000).optional(),
});

/** Workspace confinement errors (escapes, symlinks out, missing files) become 400/404 for clients. */
async function confined(workspace: string, path: string, opts: ResolveOptions) {
  return (await confinedPath(workspace, path, opts)).absolute;
}

async function confinedPath(workspace: string, path: string, opts: ResolveOptions) {
  try {
    return resolveWorkspacePath(workspace, path, opts);
  } catch (error) {
    if (error instanceof ToolError) {
      const missing = /does not exist/.test(error.message);
      throw new HttpError(missing ? 404 : 400, missing ? 'not_found' : 'bad_path', error.message);
    }
    throw error;
  }
}

function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

export function fileRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();

  app.get('/projects/:id/files', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    const stats = { visited: 0, limited: false };
    const entries: { path: string; type: 'file' | 'dir' | 'symlink' }[] = [];
    for await (const entry of walkWorkspace(project.workspace, { maxEntries: maxTreeEntries, stats })) {
      if (entry.kind !== 'other') entries.push({ path: entry.relative, type: entry.kind });
    }
    return c.json({ entries, truncated: stats.limited });
  });

  app.get('/projects/:id/files/*', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    const path = filePathParam(c.req.path, project.id);
    const absolute = await confined(project.workspace, path, { mustExist: true });
    const info = await stat(absolute);
    if (info.isDirectory())
      throw new HttpError(
        400,
        'is_directory',
        `${path} is a directory; list it with GET /api/projects/:id/files.`,
      );
    if (info.size > maxReadBytes)
      throw new HttpError(
        413,
        'file_too_large',
        `${path} is ${info.size} bytes; the limit is ${maxReadBytes}.`,
      );
    const bytes = await readFile(absolute);
    const binary = isBinary(bytes);
    return c.json({
      path,
      size: info.size,
      modifiedAt: info.mtimeMs,
      encoding: binary ? 'base64' : 'utf8',
      content: bytes.toString(binary ? 'base64' : 'utf8'),
    });
  });

  app.put('/projects/:id/files/*', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    const path = filePathParam(c.req.path, project.id);
    const body = await jsonBody(c, putFileBody, { allowNul: true });
    const absolute = await confined(project.workspace, path, { forWrite: true });
    const made = await mkdir(dirname(absolute), { recursive: true });
    const bytes = Buffer.from(body.content, body.encoding);
    // Write then rename: never modify a file in place, since files under node_modules are hard
    // links shared with the template cache and every other project.
    const temporary = `${absolute}.aura-${process.pid}-${Date.now()}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, absolute);
    // The server may run as root; commands in the sandbox (another uid) must be able to edit it.
    await ctx.sandboxFor({ directory: project.workspace }).chownToSandbox?.(made ?? absolute);
    await ctx.store.touchProject(project.id);
    return c.json({ path, size: bytes.length });
  });

  app.delete('/projects/:id/files/*', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    const path = filePathParam(c.req.path, project.id);
    // Like the delete tool: a symlink is removed itself, never what it points to.
    const target = await confinedPath(project.workspace, path, { mustExist: true, followFinal: false });
    if (target.relative === '.')
      throw new HttpError(400, 'bad_path', 'The workspace root cannot be deleted.');
    await rm(target.absolute, { recursive: true });
    await ctx.store.touchProject(project.id);
    return c.body(null, 204);
  });

  app.post('/projects/:id/folders', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    const body = await jsonBody(c, makeFolderBody);
    // Whatever is there already (a folder, a file, a link) is a conflict; only then is the new
    // path checked as a write (its nearest existing ancestor must be a folder inside).
    const named = await confinedPath(project.workspace, body.path, { followFinal: false });
    if (named.relative === '.' || (await lstat(named.absolute).catch(() => undefined)))
      throw new HttpError(409, 'exists', `${body.path} already exists.`);
    const target = await confinedPath(project.workspace, body.path, { forWrite: true });
    const made = await mkdir(target.absolute, { recursive: true });
    await ctx.sandboxFor({ directory: project.workspace }).chownToSandbox?.(made ?? target.absolute);
    await ctx.store.touchProject(project.id);
    return c.json({ path: body.path }, 201);
  });

  app.post('/projects/:id/files/move', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    const body = await jsonBody(c, moveFileBody);
    // Like the move tool: a symlink is moved as a link; the root and moves into itself are refused.
    const source = await confinedPath(project.workspace, body.from, { mustExist: true, followFinal: false });
    if (source.relative === '.') throw new HttpError(400, 'bad_path', 'The workspace root cannot be moved.');
    const from = source.absolute;
    const to = await confined(project.workspace, body.to, { forWrite: true });
    if (to.startsWith(`${from}${sep}`))
      throw new HttpError(400, 'bad_path', `${body.from} cannot be moved into itself.`);
    if (
      await stat(to).then(
        () => true,
        () => false,
      )
    ) {
      throw new HttpError(409, 'exists', `${body.to} already exists.`);
    }
    const made = await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
    if (made) await ctx.sandboxFor({ directory: project.workspace }).chownToSandbox?.(made);
    await ctx.store.touchProject(project.id);
    return c.json({ from: body.from, to: body.to });
  });

  app.post('/projects/:id/exec', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    const body = await jsonBody(c, execBody);
    // A person runs this, so rules that ask are answered by running it; what a rule denies to the
    // agent is denied here too, or the API would be a way around the operator's deny rules.
    const rules = await workspaceRules(ctx.store, await ctx.configFor(c.get('userId')), project.workspace);
    const denied = deniedCommand(rules, body.command);
    if (denied !== undefined)
      throw new HttpError(
        403,
        'permission_denied',
        `Permission denied by a rule: exec is not allowed on "${denied}".`,
      );
    const result = await ctx.sandboxFor({ directory: project.workspace }).exec(body.command, {
      timeoutMs: body.timeout_ms ?? 60_000,
      signal: c.req.raw.signal,
    });
    return c.json({
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      timedOut: result.timedOut,
      truncated: result.truncated,
      durationMs: Math.round(result.durationMs),
    });
  });

  return app;
}

/** `/api/projects/<id>/files/<path…>` → `<path…>`, URL-decoded segment by segment. */
function filePathParam(requestPath: string, projectId: string): string {
  const marker = `/projects/${projectId}/files/`;
  const raw = requestPath.slice(requestPath.indexOf(marker) + marker.length);
  try {
    return raw.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new HttpError(400, 'bad_path', 'The file path is not valid URL encoding.');
  }
}
