import { ConfigError } from './errors.ts';
import { issueLines } from './issues.ts';
import { type AuraConfig, configSchema } from './schema.ts';

type EnvValueKind = 'text' | 'whole number' | 'boolean';

export interface ConfigEnvVariable {
  name: string;
  /** The dotted config key it sets. */
  key: string;
  kind: EnvValueKind;
  meaning: string;
}

/**
 * The environment layer: a few settings people change per shell or per CI job. Provider keys
 * (OPENAI_API_KEY, …) are not here: the provider layer reads those under their usual names.
 */
export const configEnvVariables: readonly ConfigEnvVariable[] = [
  { name: 'AURA_MODEL', key: 'model', kind: 'text', meaning: 'model to use, provider/model' },
  { name: 'AURA_MAX_STEPS', key: 'maxSteps', kind: 'whole number', meaning: 'model steps per run' },
  {
    name: 'AURA_WEB_FETCH_ALLOW_PRIVATE',
    key: 'webFetch.allowPrivateNetwork',
    kind: 'boolean',
    meaning: 'let web_fetch reach private and loopback addresses',
  },
  {
    name: 'AURA_MAX_RETRIES',
    key: 'retry.maxRetries',
    kind: 'whole number',
    meaning: 'provider retries per call',
  },
];

const booleanWords: Record<string, boolean> = {
  '1': true,
  true: true,
  yes: true,
  on: true,
  '0': false,
  false: false,
  no: false,
  off: false,
};

export interface EnvLayer {
  config: AuraConfig;
  /** Dotted config key → the variable that set it. */
  variables: Map<string, string>;
}

function parseEnvValue(variable: ConfigEnvVariable, text: string): unknown {
  const trimmed = text.trim();
  switch (variable.kind) {
    case 'text':
      return trimmed;
    case 'whole number':
      if (!/^[+-]?\d+$/.test(trimmed))
        throw new ConfigError(`${variable.name}: expected a whole number, got "${text}"`);
      return Number(trimmed);
    case 'boolean': {
      const value = booleanWords[trimmed.toLowerCase()];
      if (value === undefined)
        throw new ConfigError(`${variable.name}: expected 1/0, true/false, yes/no or on/off, got "${text}"`);
      return value;
    }
  }
}

/** Reads the `AURA_*` config variables; an empty variable counts as unset. */
export function configFromEnv(env: NodeJS.ProcessEnv): EnvLayer {
  const raw: Record<string, unknown> = {};
  const variables = new Map<string, string>();
  const problems: string[] = [];
  for (const variable of configEnvVariables) {
    const text = env[variable.name];
    if (text === undefined || text.trim() === '') continue;
    try {
      const [head, ...rest] = variable.key.split('.') as [string, ...string[]];
      const value = parseEnvValue(variable, text);
      if (rest.length === 0) raw[head] = value;
      else raw[head] = { ...(raw[head] as object | undefined), [rest.join('.')]: value };
      variables.set(variable.key, variable.name);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    for (const line of issueLines(result.error.issues, raw)) {
      problems.push(`${variables.get(line.key) ?? line.key}: ${line.problem}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  return { config: result.data ?? {}, variables };
}
