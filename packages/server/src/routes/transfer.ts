import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  ArchiveError,
  defaultImportLimits,
  extractZip,
  type ImportSummary,
  importFolder,
  newId,
  toProjectInfo,
  zipWorkspace,
} from '@aura/engine';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { type ServerOptions, workspacesDir } from '../config.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError } from '../http/errors.ts';
import { ownedProject } from '../http/ownership.ts';
import { jsonBody, queryParams } from '../http/validate.ts';

/** The import route takes whole projects: app.ts exempts it from the JSON body limit. */
export const importPath = '/api/projects/import';
export const maxImportUploadBytes = 50 * 1024 * 1024;

const zipTypes = new Set(['application/zip', 'application/x-zip-compressed', 'application/octet-stream']);

export const importZipQuery = z.object({ name: z.string().trim().min(1).max(200).optional() });
export const importFolderBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  /** An absolute folder on the server's machine. */
  path: z.string().min(1).max(4096),
});

/**
 * Reading folders of the server's machine is for a personal server only: one listening on
 * loopback that also allows private provider URLs (AURA_ALLOW_PRIVATE_PROVIDER_URLS=0 turns it off).
 */
export function folderImportAllowed(options: Pick<ServerOptions, 'host' | 'allowPrivateProviderUrls'>) {
  return options.allowPrivateProviderUrls && ['127.0.0.1', 'localhost', '::1'].includes(options.host);
}

async function archiveWork<T>(work: () => Promise<T>, status: 400 | 413 = 400): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ArchiveError) throw new HttpError(status, error.code, error.message);
    throw error;
  }
}

/** A file name for Content-Disposition: the project name with anything unusual replaced. */
function downloadName(name: string): string {
  return `${
    name
      .replace(/[^\w.-]+/g, '-')
      .replace(/^[-.]+|-+$/g, '')
      .slice(0, 80) || 'project'
  }.zip`;
}

export function transferRoutes(ctx: ServerContext) {
  const app = new Hono<AppEnv>();

  app.get('/projects/:id/export', async (c) => {
    const project = await ownedProject(ctx, c.get('userId'), c.req.param('id'));
    const zip = await archiveWork(() => zipWorkspace(project.workspace), 413);
    return c.body(zip.stream, 200, {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${downloadName(project.name)}"`,
      'x-aura-files': String(zip.files),
    });
  });

  app.post(
    '/projects/import',
    bodyLimit({
      maxSize: maxImportUploadBytes,
      onError: () => {
        throw new HttpError(413, 'body_too_large', `An import is limited to ${maxImportUploadBytes} bytes.`);
      },
    }),
    async (c) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const id = newId('prj');
      const workspace = join(workspacesDir(ctx.options), id);
      let name: string;
      let imported: ImportSummary;
      if (zipTypes.has(type)) {
        const query = queryParams(c, importZipQuery);
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        await mkdir(workspacesDir(ctx.options), { recursive: true });
        imported = await archiveWork(() => extractZip(bytes, workspace, defaultImportLimits));
        name = query.name ?? 'Imported project';
      } else if (type === 'application/json') {
        if (!folderImportAllowed(ctx.options)) {
          throw new HttpError(
            403,
            'folder_import_disabled',
            'Importing a folder of the server machine is only possible on a personal server (listening on loopback). Upload a zip instead.',
          );
        }
        const body = await jsonBody(c, importFolderBody);
        await mkdir(workspacesDir(ctx.options), { recursive: true });
        imported = await archiveWork(() =>
          importFolder(body.path, workspace, { forbidden: [ctx.options.dataDir] }),
        );
        name = body.name ?? (basename(body.path) || 'Imported project');
      } else {
        throw new HttpError(
          415,
          'unsupported_media_type',
          'Send a zip (Content-Type: application/zip, name in ?name=) or JSON {name?, path} for a local folder.',
        );
      }
      try {
        const project = await ctx.store.createProject({
          id,
          userId: c.get('userId'),
          name,
          description: null,
          template: null,
          workspace,
        });
        return c.json({ ...toProjectInfo(project), imported }, 201);
      } catch (error) {
        await rm(workspace, { recursive: true, force: true });
        throw error;
      }
    },
  );

  return app;
}
