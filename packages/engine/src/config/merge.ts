import type { AuraConfig } from './schema.ts';
import type { KeyPath } from './schema-path.ts';

/**
 * How deep each top-level key merges across layers: `providers.openai.baseURL` from one file and
 * `providers.openai.apiKey` from another both apply (3 levels), while a price or an MCP server
 * (2 levels: `pricing.<model>`, `mcp.<name>`) replaces the earlier one whole. Keys not listed
 * (`model`, `maxSteps`) are single values. `permissions` concatenate instead.
 */
const mergeLevels: Record<string, number> = {
  providers: 3,
  pricing: 2,
  contextWindows: 2,
  mcp: 2,
  webFetch: 2,
  webSearch: 2,
  server: 2,
  retry: 2,
};

export interface ConfigLeaf {
  path: KeyPath;
  value: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The values a layer sets, at the level where layers replace each other. Each permission rule is
 * its own leaf. An empty map is a leaf too, so that `providers: { mine: {} }` still names a provider.
 */
export function configLeaves(config: AuraConfig): ConfigLeaf[] {
  const leaves: ConfigLeaf[] = [];
  const visit = (value: unknown, path: KeyPath, levels: number) => {
    if (path.length < levels && isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) visit(child, [...path, key], levels);
    } else if (value !== undefined) {
      leaves.push({ path, value });
    }
  };
  for (const [key, value] of Object.entries(config)) {
    if (key === 'permissions' && Array.isArray(value)) {
      for (const [index, rule] of value.entries()) leaves.push({ path: [key, index], value: rule });
    } else {
      visit(value, [key], mergeLevels[key] ?? 1);
    }
  }
  return leaves;
}

function setLeaf(target: Record<string, unknown>, path: KeyPath, value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    const key = String(segment);
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = String(path.at(-1));
  // An empty map adds the key without wiping what earlier layers put under it.
  if (isPlainObject(value) && Object.keys(value).length === 0 && isPlainObject(node[last])) return;
  node[last] = structuredClone(value);
}

/** Later layers win; maps merge per key, rule lists concatenate (later rules take precedence). */
export function mergeConfigs(...layers: AuraConfig[]): AuraConfig {
  const merged: Record<string, unknown> = {};
  const permissions: unknown[] = [];
  let hasPermissions = false;
  for (const layer of layers) {
    if (layer.permissions) hasPermissions = true;
    for (const leaf of configLeaves(layer)) {
      if (leaf.path[0] === 'permissions') permissions.push(structuredClone(leaf.value));
      else setLeaf(merged, leaf.path, leaf.value);
    }
  }
  if (hasPermissions) merged.permissions = permissions;
  // Built from validated layers, key by key, so it has the shape of a config.
  return merged as AuraConfig;
}
