export {
  CACHE_MARKER,
  copyTemplateFiles,
  type DependencyKey,
  dependencyKey,
  isCacheReady,
  type PreparedCache,
  type PrepareTemplateCacheOptions,
  prepareTemplateCache,
} from './cache.ts';
export { type CopyTemplateOptions, copyTemplate } from './copy.ts';
export { TemplateError, type TemplateErrorCode } from './errors.ts';
export { chownTree, type LinkTreeOptions, type LinkTreeResult, linkTree } from './fs-tree.ts';
export {
  MANIFEST_FILE,
  parseManifest,
  readManifest,
  type TemplateManifest,
  templateManifest,
} from './manifest.ts';
export { pickTemplate } from './pick.ts';
export type { OnTemplateProgress, TemplateProgress } from './progress.ts';
export {
  DEFAULT_TEMPLATE,
  getTemplate,
  listTemplates,
  type TemplateInfo,
  type TemplatesDirOptions,
  templatesDir,
} from './registry.ts';
