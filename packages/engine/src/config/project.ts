import type { AuraConfig } from './schema.ts';

/**
 * A project's config arrives with the code (a cloned repository, or files an agent wrote), so it
 * may tighten permissions but never loosen them: its `allow` rules are dropped. Nor may it start
 * programs: its MCP servers are dropped too.
 */
export function restrictProjectConfig(
  project: AuraConfig,
  files: { project: string; user: string },
  onNotice?: (message: string) => void,
): AuraConfig {
  const file = files.project;
  const rules = project.permissions ?? [];
  const kept = rules.filter((rule) => rule.action !== 'allow');
  const restricted: AuraConfig = { ...project, permissions: kept };
  if (kept.length < rules.length) {
    onNotice?.(
      `${file}: ignored ${rules.length - kept.length} "allow" permission rule(s): a project's config can only add ask/deny rules. Put allow rules in ${files.user} instead.`,
    );
  }
  if (project.mcp && Object.keys(project.mcp).length > 0) {
    onNotice?.(
      `${file}: ignored MCP server(s) ${Object.keys(project.mcp).join(', ')}: a project's config cannot start programs. Add them with aura mcp add instead.`,
    );
    delete restricted.mcp;
  }
  if (!project.permissions) delete restricted.permissions;
  return restricted;
}

/**
 * What `restrictProjectConfig` would drop, as `file: key: why` lines, so that writing a project
 * config can refuse it up front instead of saving settings that are then ignored.
 */
export function projectConfigRefusals(project: AuraConfig, file: string): string[] {
  const refusals: string[] = [];
  project.permissions?.forEach((rule, index) => {
    if (rule.action === 'allow') {
      refusals.push(
        `${file}: permissions.${index}.action: a project's config can only add ask/deny rules (it arrives with the code, so it may not loosen them); set allow rules in the user config, without --project`,
      );
    }
  });
  if (project.mcp && Object.keys(project.mcp).length > 0) {
    refusals.push(
      `${file}: mcp: a project's config cannot start programs; add MCP servers with aura mcp add`,
    );
  }
  return refusals;
}
