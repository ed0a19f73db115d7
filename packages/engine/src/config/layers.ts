import { configFromEnv } from './env.ts';
import { configLeaves, mergeConfigs } from './merge.ts';
import { projectConfigPath, userConfigPath } from './paths.ts';
import { restrictProjectConfig } from './project.ts';
import { readConfigFile } from './read.ts';
import type { AuraConfig } from './schema.ts';
import { dottedKey, type KeyPath } from './schema-path.ts';

/** Where a setting came from, lowest precedence first. */
export type ConfigLayerName = 'default' | 'user' | 'project' | 'env' | 'flag';

export interface ConfigLayer {
  name: ConfigLayerName;
  config: AuraConfig;
  /** The file a user or project layer was read from. */
  file?: string;
  /** Dotted key → the environment variable or flag that set it. */
  sources?: Map<string, string>;
}

export interface LoadConfigOptions {
  dir: string;
  env?: NodeJS.ProcessEnv;
  /** Settings from command-line flags: they beat every other layer. */
  overrides?: AuraConfig;
  /** Dotted key → the flag that set it (`model` → `--model`), to show where a setting came from. */
  overrideFlags?: Map<string, string>;
  onNotice?: (message: string) => void;
}

/** The user file, the project's `.aura/config.yaml` (restricted), `AURA_*` variables, then flags. */
export async function loadConfigLayers(opts: LoadConfigOptions): Promise<ConfigLayer[]> {
  const env = opts.env ?? process.env;
  const userFile = userConfigPath(env);
  const projectFile = projectConfigPath(opts.dir);
  const user = await readConfigFile(userFile);
  const project = restrictProjectConfig(
    await readConfigFile(projectFile),
    { project: projectFile, user: userFile },
    opts.onNotice,
  );
  const fromEnv = configFromEnv(env);
  return [
    { name: 'user', config: user, file: userFile },
    { name: 'project', config: project, file: projectFile },
    { name: 'env', config: fromEnv.config, sources: fromEnv.variables },
    { name: 'flag', config: opts.overrides ?? {}, sources: opts.overrideFlags },
  ];
}

/** The effective config: flags > env > project > user (built-in defaults stay with the code using them). */
export async function loadConfig(opts: LoadConfigOptions): Promise<AuraConfig> {
  const layers = await loadConfigLayers(opts);
  return mergeConfigs(...layers.map((layer) => layer.config));
}

/**
 * The config `aura serve` runs with: the operator's user file, then `AURA_*` variables. A server
 * has no project layer (projects live in its data dir) and no flags that are config keys.
 */
export async function loadServerConfig(env: NodeJS.ProcessEnv = process.env): Promise<AuraConfig> {
  const user = await readConfigFile(userConfigPath(env));
  return mergeConfigs(user, configFromEnv(env).config);
}

export interface ConfigEntry {
  key: string;
  path: KeyPath;
  value: unknown;
  layer: ConfigLayerName;
  /** The file or environment variable, when the layer has one. */
  source?: string;
}

/**
 * Every effective setting with the layer that won it, following the same merge rules as
 * `mergeConfigs` (permission rules add up, so each keeps its own origin). Empty maps set nothing.
 */
export function configEntries(layers: readonly ConfigLayer[]): ConfigEntry[] {
  const winners = new Map<string, ConfigEntry>();
  const rules: ConfigEntry[] = [];
  for (const layer of layers) {
    for (const leaf of configLeaves(layer.config)) {
      const key = dottedKey(leaf.path);
      const source = layer.file ?? layer.sources?.get(key);
      const entry: ConfigEntry = { key, path: leaf.path, value: leaf.value, layer: layer.name, source };
      if (leaf.path[0] === 'permissions') {
        const path = ['permissions', rules.length];
        rules.push({ ...entry, path, key: dottedKey(path) });
      } else if (!isEmptyMap(leaf.value)) {
        winners.set(key, entry);
      }
    }
  }
  return [...winners.values(), ...rules];
}

function isEmptyMap(value: unknown): boolean {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0
  );
}
