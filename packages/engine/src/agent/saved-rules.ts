import type { AuraConfig, PermissionRule } from '../config/index.ts';
import { permissionRule } from '../config/index.ts';
import { defaultRules } from '../permission/index.ts';
import type { Store } from '../store/index.ts';

/** "Always" answers are remembered per workspace in the store's settings. */
const scopeOf = (workspace: string) => `permissions:${workspace}`;

/**
 * The permission rules runs in a workspace follow: the defaults, the config's, then the "always"
 * answers saved for that workspace (the last matching rule wins).
 */
export async function workspaceRules(
  store: Store,
  config: AuraConfig,
  workspace: string,
): Promise<PermissionRule[]> {
  return [...defaultRules, ...(config.permissions ?? []), ...(await loadSavedRules(store, workspace))];
}

export async function loadSavedRules(store: Store, workspace: string): Promise<PermissionRule[]> {
  const saved = await store.getSetting(scopeOf(workspace), 'always');
  const parsed = permissionRule.array().safeParse(saved ?? []);
  return parsed.success ? parsed.data : [];
}

export async function saveRule(store: Store, workspace: string, rule: PermissionRule): Promise<void> {
  const rules = await loadSavedRules(store, workspace);
  await store.setSetting(scopeOf(workspace), 'always', [...rules, rule]);
}
