import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  copyTemplateFiles,
  dependencyKey,
  type PrepareTemplateCacheOptions,
  prepareTemplateCache,
} from './cache.ts';
import { TemplateError } from './errors.ts';
import { linkTree } from './fs-tree.ts';
import type { TemplateManifest } from './manifest.ts';
import { getTemplate } from './registry.ts';

export interface CopyTemplateOptions extends Omit<PrepareTemplateCacheOptions, 'cacheDir'> {
  /**
   * The dependency cache (see prepareTemplateCache). Without it only the template's files are
   * copied, and the project runs the manifest's `install` itself.
   */
  cacheDir?: string;
  /** Copy into a workspace that already has files (existing files are kept, not overwritten). */
  allowNonEmpty?: boolean;
  /** 'hardlink' (default; falls back to copying across filesystems) or 'copy'. */
  linkMode?: 'hardlink' | 'copy';
}

/** npm rewrites this file in place on every install: each project gets its own copy. */
const HIDDEN_LOCKFILE = '.package-lock.json';
/** Caches tools may write inside node_modules: never shared. */
const NODE_MODULES_SKIP = ['.vite', '.cache'];

/**
 * Copies template `name` into `workspace` and gives it a node_modules from the dependency
 * cache: preparing the cache first if needed (the first project of a template pays the install),
 * then hard-linking it, so every project has its own node_modules tree whose files share their
 * contents with the cache. Returns the template's manifest.
 *
 * The template's files are copied before its dependencies are provided: when the install fails
 * (`TemplateError` `install_failed`), the workspace already has them.
 */
export async function copyTemplate(
  name: string,
  workspace: string,
  options: CopyTemplateOptions = {},
): Promise<TemplateManifest> {
  const template = await getTemplate(name, options);
  await mkdir(workspace, { recursive: true });
  const existing = await readdir(workspace);
  if (existing.length > 0 && !options.allowNonEmpty) {
    throw new TemplateError(
      'workspace_not_empty',
      `The workspace ${workspace} is not empty: a template is only copied into an empty folder.`,
    );
  }
  const hadLockfile = existing.includes('package-lock.json');
  const files = await copyTemplateFiles(template.dir, workspace, false);
  options.onProgress?.({ type: 'files', template: name, files });

  const skipped = (reason: 'no_dependencies' | 'no_cache' | 'workspace_has_node_modules') => {
    options.onProgress?.({ type: 'dependencies_skipped', template: name, reason });
    return template.manifest;
  };
  if (!(await dependencyKey(template)).hasDependencies) return skipped('no_dependencies');
  if (!options.cacheDir) return skipped('no_cache');
  const target = join(workspace, 'node_modules');
  if (existing.includes('node_modules')) return skipped('workspace_has_node_modules');

  const prepared = await prepareTemplateCache(name, { ...options, cacheDir: options.cacheDir });
  if (!prepared) return skipped('no_dependencies');
  const started = performance.now();
  let linked: Awaited<ReturnType<typeof linkTree>>;
  try {
    linked = await linkTree(prepared.nodeModules, target, {
      mode: options.linkMode ?? 'hardlink',
      copyPaths: [HIDDEN_LOCKFILE],
      skipPaths: NODE_MODULES_SKIP,
    });
  } catch (error) {
    // Something installed into the workspace while the cache was being prepared (a dev server
    // started meanwhile): its node_modules stands, as if it had been there from the start.
    const { code, path } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST' && path === target) return skipped('workspace_has_node_modules');
    throw error;
  }
  // The lockfile npm wrote with this node_modules (the template's own, unless npm updated it).
  const cachedLockfile = join(prepared.dir, 'package-lock.json');
  if (!hadLockfile && (await stat(cachedLockfile).catch(() => undefined))) {
    await copyFile(cachedLockfile, join(workspace, 'package-lock.json'));
  }
  options.onProgress?.({
    type: 'dependencies',
    template: name,
    key: prepared.key,
    mode: linked.fellBack || options.linkMode === 'copy' ? 'copy' : 'hardlink',
    files: linked.linked + linked.copied,
    ms: Math.round(performance.now() - started),
  });
  return template.manifest;
}
