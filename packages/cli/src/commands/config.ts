import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type AuraConfig,
  type ConfigEntry,
  ConfigError,
  type ConfigLayer,
  configEntries,
  configSchema,
  defaultMaxSteps,
  defaultModelId,
  defaultRules,
  dottedKey,
  formatValueText,
  loadConfigLayers,
  maskSecrets,
  mergeConfigs,
  projectConfigPath,
  resolveKey,
  setConfigValue,
  unsetConfigValue,
  userConfigPath,
  valueAt,
} from '@aura/engine';
import { oneOf, parseCommandArgs, positiveInt } from '../args.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { createStyle } from '../style.ts';

const configHelp = `Usage:
  aura config get KEY                  print the effective value of KEY
  aura config set KEY VALUE [--project] write KEY to the user config (or the project's)
  aura config unset KEY [--project]    remove KEY from the user config (or the project's)
  aura config list [--format text|json] every effective setting and where it comes from
  aura config path                     the user and project config files

KEY is a dotted name: model, maxSteps, providers.openai.baseURL, webFetch.allowPrivateNetwork,
permissions (a list), permissions.0.action, pricing.openai/gpt-4.1.input.
VALUE is read as YAML: 15 is a number, true a boolean, "[a, b]" a list,
'[{tool: exec, pattern: "npm *", action: allow}]' a list of rules.

Options:
  --project          set/unset in DIR/.aura/config.yaml instead of ~/.config/aura/config.yaml
  --dir DIR          the project directory (default: current directory)
  --model P/M, --max-steps N
                     get/list: show what a command given these flags would use

Precedence: flags > environment (AURA_MODEL, AURA_MAX_STEPS, AURA_MAX_RETRIES,
AURA_WEB_FETCH_ALLOW_PRIVATE) > project > user > built-in defaults.
Exit codes: 0 done, 1 get: KEY is not set, 2 usage error or invalid config.
`;

const options = {
  dir: { type: 'string' },
  project: { type: 'boolean' },
  format: { type: 'string' },
  model: { type: 'string', short: 'm' },
  'max-steps': { type: 'string' },
} as const;

interface ConfigArgs {
  dir: string;
  project: boolean;
  format: 'text' | 'json';
  overrides: AuraConfig;
  overrideFlags: Map<string, string>;
}

export async function configCommand(args: string[]): Promise<number> {
  if (args.length === 0) {
    process.stderr.write(configHelp);
    return exitCodes.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(configHelp);
    return exitCodes.ok;
  }
  const { values, positionals } = parseCommandArgs(args, options);
  const [action, ...operands] = positionals;
  const maxSteps = positiveInt(values['max-steps'], '--max-steps');
  const parsed: ConfigArgs = {
    dir: resolve(values.dir ?? process.cwd()),
    project: values.project ?? false,
    format: oneOf(values.format, ['text', 'json'] as const, '--format', 'text'),
    overrides: { ...(values.model ? { model: values.model } : {}), ...(maxSteps ? { maxSteps } : {}) },
    overrideFlags: new Map([
      ['model', '--model'],
      ['maxSteps', '--max-steps'],
    ]),
  };
  try {
    switch (action) {
      case 'get':
        return await getValue(expectOperands(action, operands, ['KEY']), parsed);
      case 'set':
        return await setValue(expectOperands(action, operands, ['KEY', 'VALUE']), parsed);
      case 'unset':
        return await unsetValue(expectOperands(action, operands, ['KEY']), parsed);
      case 'list':
        expectOperands(action, operands, []);
        return await listValues(parsed);
      case 'path':
        expectOperands(action, operands, []);
        return showPaths(parsed);
      default:
        throw new UsageError(
          `unknown config action "${action}": use get, set, unset, list or path.\n${configHelp}`,
        );
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.message.split('\n')) process.stderr.write(`aura: ${line}\n`);
    return exitCodes.usage;
  }
}

function expectOperands(action: string, operands: string[], names: string[]): string[] {
  if (operands.length !== names.length) {
    const usage = `aura config ${[action, ...names].join(' ')}`;
    const hint =
      names.includes('VALUE') && operands.length > names.length ? ' (quote a VALUE with spaces)' : '';
    throw new UsageError(`usage: ${usage}${hint}`);
  }
  return operands;
}

/** Every layer, the built-in defaults first: what a command run here with these flags would use. */
async function allLayers(args: ConfigArgs): Promise<ConfigLayer[]> {
  const layers = await loadConfigLayers({
    dir: args.dir,
    overrides: args.overrides,
    overrideFlags: args.overrideFlags,
    onNotice: (message) => process.stderr.write(`aura: ${message}\n`),
  });
  const configured = mergeConfigs(...layers.map((layer) => layer.config));
  return [{ name: 'default', config: builtinDefaults(configured) }, ...layers];
}

/** The values the engine falls back on, so `list` shows them with their origin too. */
function builtinDefaults(configured: AuraConfig): AuraConfig {
  const defaults: AuraConfig = {
    maxSteps: defaultMaxSteps,
    webFetch: { allowPrivateNetwork: false },
    permissions: defaultRules,
  };
  try {
    defaults.model = defaultModelId({ ...configured, model: undefined }, process.env);
  } catch {
    // No provider has credentials: there is no default model, and `list` shows none.
  }
  return defaults;
}

async function getValue([key]: string[], args: ConfigArgs): Promise<number> {
  const { path } = resolveKey(key!);
  const merged = mergeConfigs(...(await allLayers(args)).map((layer) => layer.config));
  const value = valueAt(merged, path);
  if (value === undefined) {
    process.stderr.write(`aura: ${key} is not set\n`);
    return exitCodes.agentError;
  }
  process.stdout.write(`${formatValueText(maskSecrets(value, path))}\n`);
  return exitCodes.ok;
}

async function setValue([key, text]: string[], args: ConfigArgs): Promise<number> {
  const file = targetFile(args);
  const saved = await setConfigValue(file, key!, text!, { project: args.project });
  const { path } = resolveKey(key!);
  process.stdout.write(`${key} = ${formatValueText(maskSecrets(valueAt(saved, path), path))}  (${file})\n`);
  // Permission rules add up rather than override, so only single settings can be shadowed.
  const winner = configEntries(await allLayers(args)).find((entry) => entry.key === dottedKey(path));
  if (winner && path[0] !== 'permissions' && winner.layer !== (args.project ? 'project' : 'user')) {
    process.stderr.write(`aura: note: ${key} is overridden by ${originText(winner)}\n`);
  }
  return exitCodes.ok;
}

async function unsetValue([key]: string[], args: ConfigArgs): Promise<number> {
  const file = targetFile(args);
  if (await unsetConfigValue(file, key!)) process.stdout.write(`removed ${key} from ${file}\n`);
  else process.stderr.write(`aura: ${key} is not set in ${file}: nothing to remove\n`);
  return exitCodes.ok;
}

function targetFile(args: ConfigArgs): string {
  return args.project ? projectConfigPath(args.dir) : userConfigPath();
}

function originText(entry: ConfigEntry): string {
  return entry.source ? `${entry.layer} (${entry.source})` : entry.layer;
}

/** Top-level keys in schema order, then each layer's own order (permission rules as they apply). */
function sortedEntries(entries: ConfigEntry[]): ConfigEntry[] {
  const order = Object.keys(configSchema.shape);
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort(
      (a, b) =>
        order.indexOf(String(a.entry.path[0])) - order.indexOf(String(b.entry.path[0])) || a.index - b.index,
    )
    .map(({ entry }) => entry);
}

async function listValues(args: ConfigArgs): Promise<number> {
  const entries = sortedEntries(configEntries(await allLayers(args))).map((entry) => ({
    ...entry,
    value: maskSecrets(entry.value, entry.path),
  }));
  if (args.format === 'json') {
    const rows = entries.map(({ key, value, layer, source }) => ({ key, value, origin: layer, source }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return exitCodes.ok;
  }
  const style = createStyle(process.stdout);
  const rows = entries.map((entry) => [entry.key, formatValueText(entry.value), originText(entry)] as const);
  const keyWidth = Math.max(0, ...rows.map(([key]) => key.length));
  const valueWidth = Math.max(0, ...rows.map(([, value]) => value.length));
  for (const [key, value, origin] of rows) {
    process.stdout.write(`${key.padEnd(keyWidth)}  ${value.padEnd(valueWidth)}  ${style.dim(origin)}\n`);
  }
  return exitCodes.ok;
}

function showPaths(args: ConfigArgs): number {
  const files = [
    ['user', userConfigPath()],
    ['project', projectConfigPath(args.dir)],
  ] as const;
  for (const [layer, file] of files) {
    const state = existsSync(file) ? 'exists' : 'not created yet';
    process.stdout.write(`${layer.padEnd(7)}  ${file}  (${state})\n`);
  }
  return exitCodes.ok;
}
