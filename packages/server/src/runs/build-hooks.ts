import {
  type BuilderHooks,
  type BuildManifest,
  copyTemplate,
  pickTemplate,
  readManifest,
  type Store,
  TemplateError,
} from '@aura/engine';
import type { SessionInfo } from '@aura/protocol';
import type { ServerOptions } from '../config.ts';
import type { PreviewService } from '../preview/service.ts';
import { templateCacheDirs } from '../routes/templates.ts';

/**
 * The app builder on the server: a project without files gets a template picked from the request
 * (dependencies from the shared cache), and the dev server runs behind the preview proxy.
 */
export function serverBuildHooks(
  deps: { store: Store; preview: PreviewService; options: ServerOptions },
  session: SessionInfo,
): BuilderHooks {
  return {
    async prepareWorkspace({ description, signal }): Promise<BuildManifest> {
      try {
        return await readManifest(session.directory);
      } catch (error) {
        if (!(error instanceof TemplateError) || error.code !== 'not_found') throw error;
      }
      const template = pickTemplate(description);
      const manifest = await copyTemplate(template, session.directory, {
        ...templateCacheDirs(deps.options),
        allowNonEmpty: true,
        signal,
      });
      if (session.projectId) await deps.store.updateProject(session.projectId, { template });
      return manifest;
    },
    async startServer() {
      const project = session.projectId ? await deps.store.getProject(session.projectId) : undefined;
      if (!project || !session.userId) throw new Error('Only sessions of a project can run a dev server.');
      const info = await deps.preview.start(project, session.userId, {
        sessionId: session.id,
        waitMs: 120_000,
      });
      if (info.status !== 'running') {
        throw new Error(
          `The dev server did not start (${info.status})${info.error ? `: ${info.error}` : ''}\n${info.logs ?? ''}`.trim(),
        );
      }
      // The event log keeps the clean origin: the link with its short-lived token is for the IDE.
      return { url: deps.preview.originOf(project.id) };
    },
  };
}
