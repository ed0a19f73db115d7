import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { type AuraConfig, configSchema } from './schema.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'aura', 'config.yaml');
}

export function projectConfigPath(dir: string): string {
  return join(dir, '.aura', 'config.yaml');
}

/** One line per problem, each naming the file and the key: `file: providers.openai.apiKey: …`. */
export function describeIssues(file: string, issues: z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const key = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
      return `${file}: ${key}: ${issue.message}`;
    })
    .join('\n');
}

/** Reads and validates one YAML config file. A missing file is an empty config. */
export async function readConfigFile(file: string): Promise<AuraConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`${file}: cannot read: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${file}: invalid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (raw === null || raw === undefined) return {};
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(describeIssues(file, result.error.issues));
  }
  return result.data;
}

/** Later layers win; maps merge per key, rule lists concatenate (later rules take precedence). */
export function mergeConfigs(...layers: AuraConfig[]): AuraConfig {
  const merged: AuraConfig = {};
  for (const layer of layers) {
    const { providers, permissions, pricing, contextWindows, mcp, ...scalars } = layer;
    Object.assign(merged, scalars);
    if (providers) {
      merged.providers = { ...merged.providers };
      for (const [name, settings] of Object.entries(providers)) {
        merged.providers[name] = { ...merged.providers[name], ...settings };
      }
    }
    if (permissions) merged.permissions = [...(merged.permissions ?? []), ...permissions];
    if (pricing) merged.pricing = { ...merged.pricing, ...pricing };
    if (contextWindows) merged.contextWindows = { ...merged.contextWindows, ...contextWindows };
    if (mcp) merged.mcp = { ...merged.mcp, ...mcp };
  }
  return merged;
}

/**
 * A project's config arrives with the code (a cloned repository, or files an agent wrote), so it
 * may tighten permissions but never loosen them: its `allow` rules are dropped. Nor may it start
 * programs: its MCP servers are dropped too.
 */
export function restrictProjectConfig(
  project: AuraConfig,
  file: string,
  onNotice?: (message: string) => void,
): AuraConfig {
  const rules = project.permissions ?? [];
  const kept = rules.filter((rule) => rule.action !== 'allow');
  const restricted: AuraConfig = { ...project, permissions: kept };
  if (kept.length < rules.length) {
    onNotice?.(
      `${file}: ignored ${rules.length - kept.length} "allow" permission rule(s): a project's config can only add ask/deny rules. Put allow rules in ${userConfigPath()} instead.`,
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

/** User config, then the project's `.aura/config.yaml`, then explicit overrides (flags). */
export async function loadConfig(opts: {
  dir: string;
  env?: NodeJS.ProcessEnv;
  overrides?: AuraConfig;
  onNotice?: (message: string) => void;
}): Promise<AuraConfig> {
  const user = await readConfigFile(userConfigPath(opts.env));
  const file = projectConfigPath(opts.dir);
  const project = restrictProjectConfig(await readConfigFile(file), file, opts.onNotice);
  return mergeConfigs(user, project, opts.overrides ?? {});
}
