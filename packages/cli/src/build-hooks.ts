import { join } from 'node:path';
import {
  type BuilderHooks,
  copyTemplate,
  ProcessManager,
  pickTemplate,
  readManifest,
  type Sandbox,
  TemplateError,
} from '@aura/engine';

/**
 * The app builder's hooks for `aura run --mode build`: templates come from the shared dependency
 * cache in the data dir, and the dev server runs in the run's sandbox on a free loopback port.
 */
export function cliBuildHooks(opts: {
  workspace: string;
  sandbox: Sandbox;
  dataDir: string;
  note: (message: string) => void;
}): BuilderHooks & { dispose(): Promise<void> } {
  const processes = new ProcessManager({ sandbox: opts.sandbox });
  return {
    async prepareWorkspace({ description, signal }) {
      try {
        return await readManifest(opts.workspace);
      } catch (error) {
        if (!(error instanceof TemplateError) || error.code !== 'not_found') throw error;
      }
      const template = pickTemplate(description);
      opts.note(`Starting from the ${template} template (dependencies from the shared cache).`);
      return copyTemplate(template, opts.workspace, {
        cacheDir: join(opts.dataDir, 'cache', 'templates'),
        npmCacheDir: join(opts.dataDir, 'cache', 'npm'),
        allowNonEmpty: true,
        signal,
      });
    },
    async startServer(manifest) {
      if (!manifest.dev) throw new Error(`The ${manifest.name} template has no dev command in aura.json.`);
      await processes.start('dev', manifest.dev, { port: 'auto' });
      const status = await processes.ready('dev', { timeoutMs: 120_000 });
      if (status.state !== 'running') {
        throw new Error(
          `The dev server (${manifest.dev}) did not start: ${status.state}.\n${processes.logs('dev', { tail: 30 })}`,
        );
      }
      return { url: `http://127.0.0.1:${status.port}/` };
    },
    dispose: () => processes.dispose(),
  };
}
