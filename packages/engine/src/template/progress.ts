/** What copying a template and preparing its dependency cache report along the way. */
export type TemplateProgress =
  /** Template files copied into the workspace. */
  | { type: 'files'; template: string; files: number }
  /** The dependency cache was ready (no install). */
  | { type: 'cache_hit'; template: string; key: string }
  /** Another preparer (maybe another process) is installing the same dependencies: waiting for it. */
  | { type: 'cache_wait'; template: string; key: string }
  /** This call runs the template's install command into the cache. */
  | { type: 'install_start'; template: string; key: string; command: string }
  /** One line of the install command's output. */
  | { type: 'install_output'; template: string; line: string }
  | { type: 'install_done'; template: string; key: string; ms: number }
  /** node_modules provided in the workspace from the cache. */
  | {
      type: 'dependencies';
      template: string;
      key: string;
      mode: 'hardlink' | 'copy';
      files: number;
      ms: number;
    }
  /** No node_modules provided: why. */
  | {
      type: 'dependencies_skipped';
      template: string;
      reason: 'no_dependencies' | 'no_cache' | 'workspace_has_node_modules';
    };

export type OnTemplateProgress = (event: TemplateProgress) => void;
