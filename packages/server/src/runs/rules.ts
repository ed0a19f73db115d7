import {
  type AuraConfig,
  defaultRules,
  evaluate,
  loadSavedRules,
  type PermissionRule,
  type Store,
  shellSegments,
} from '@aura/engine';

/**
 * The permission rules a user's runs in a workspace follow: the defaults, the operator's config,
 * then the "always" answers saved for that workspace (the last matching rule wins).
 */
export async function workspaceRules(
  store: Store,
  config: AuraConfig,
  workspace: string,
): Promise<PermissionRule[]> {
  return [...defaultRules, ...(config.permissions ?? []), ...(await loadSavedRules(store, workspace))];
}

/** The first simple command of `command` that a rule denies for `exec`, if any. */
export function deniedCommand(rules: PermissionRule[], command: string): string | undefined {
  return shellSegments(command).find((segment) => evaluate(rules, 'exec', segment) === 'deny');
}
