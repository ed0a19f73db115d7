import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMaxSteps } from '../agent/run.ts';
import {
  ConfigError,
  type ConfigLayer,
  configEntries,
  loadConfig,
  loadConfigLayers,
  loadServerConfig,
  mergeConfigs,
} from './index.ts';

type Layer = 'user' | 'project' | 'env' | 'flag';
const _ = undefined;

/**
 * maxSteps set (or not, `_`) in each layer, and the layer whose value wins.
 * Each layer uses its own number so the winner is visible in the result.
 */
// biome-ignore format: the table is aligned by hand
const table: [user: number | undefined, project: number | undefined, env: number | undefined, flag: number | undefined, winner: Layer | 'default'][] = [
  //  user  project  env  flag   winner
  [   _,    _,       _,   _,     'default' ],
  [   20,   _,       _,   _,     'user'    ],
  [   _,    30,      _,   _,     'project' ],
  [   _,    _,       40,  _,     'env'     ],
  [   _,    _,       _,   50,    'flag'    ],
  [   20,   30,      _,   _,     'project' ],
  [   20,   _,       40,  _,     'env'     ],
  [   _,    30,      40,  _,     'env'     ],
  [   20,   30,      40,  _,     'env'     ],
  [   20,   _,       _,   50,    'flag'    ],
  [   _,    30,      _,   50,    'flag'    ],
  [   _,    _,       40,  50,    'flag'    ],
  [   20,   30,      40,  50,    'flag'    ],
];

const layerValue = { default: defaultMaxSteps, user: 20, project: 30, env: 40, flag: 50 };

async function layersFor(
  user?: number,
  project?: number,
  env?: number,
  flag?: number,
): Promise<ConfigLayer[]> {
  const home = await mkdtemp(join(tmpdir(), 'aura-precedence-home-'));
  const dir = await mkdtemp(join(tmpdir(), 'aura-precedence-project-'));
  if (user !== undefined) {
    await mkdir(join(home, 'aura'));
    await writeFile(join(home, 'aura', 'config.yaml'), `maxSteps: ${user}\n`);
  }
  if (project !== undefined) {
    await mkdir(join(dir, '.aura'));
    await writeFile(join(dir, '.aura', 'config.yaml'), `maxSteps: ${project}\n`);
  }
  const layers = await loadConfigLayers({
    dir,
    env: { XDG_CONFIG_HOME: home, ...(env === undefined ? {} : { AURA_MAX_STEPS: String(env) }) },
    overrides: flag === undefined ? {} : { maxSteps: flag },
    overrideFlags: new Map([['maxSteps', '--max-steps']]),
  });
  return [{ name: 'default', config: { maxSteps: defaultMaxSteps } }, ...layers];
}

describe('precedence: flags > env > project > user > defaults', () => {
  it.each(table)('user %s, project %s, env %s, flag %s → %s', async (user, project, env, flag, winner) => {
    const layers = await layersFor(user, project, env, flag);
    expect(mergeConfigs(...layers.map((layer) => layer.config)).maxSteps).toBe(layerValue[winner]);
    const entry = configEntries(layers).find((e) => e.key === 'maxSteps');
    expect(entry).toMatchObject({ layer: winner, value: layerValue[winner] });
  });

  it('names the file, variable or flag each setting came from', async () => {
    const layers = await layersFor(20, 30, 40, 50);
    const origins = (winner: Layer) => configEntries(layers.filter((l) => l.name === winner))[0]?.source;
    expect(origins('user')).toMatch(/aura-precedence-home-.*\/aura\/config\.yaml$/);
    expect(origins('project')).toMatch(/aura-precedence-project-.*\/\.aura\/config\.yaml$/);
    expect(origins('env')).toBe('AURA_MAX_STEPS');
    expect(origins('flag')).toBe('--max-steps');
  });

  it('loadConfig applies the same order (defaults are left to the code that uses them)', async () => {
    const home = await mkdtemp(join(tmpdir(), 'aura-precedence-home-'));
    const dir = await mkdtemp(join(tmpdir(), 'aura-precedence-project-'));
    await mkdir(join(home, 'aura'));
    await writeFile(
      join(home, 'aura', 'config.yaml'),
      'model: user/model\nmaxSteps: 20\nretry: { maxRetries: 1 }\n',
    );
    await mkdir(join(dir, '.aura'));
    await writeFile(
      join(dir, '.aura', 'config.yaml'),
      'model: project/model\nretry: { stallTimeoutMs: 5000 }\n',
    );
    const env = { XDG_CONFIG_HOME: home, AURA_MODEL: 'env/model', AURA_MAX_RETRIES: '3' };
    expect(await loadConfig({ dir, env })).toEqual({
      model: 'env/model',
      maxSteps: 20,
      retry: { maxRetries: 3, stallTimeoutMs: 5000 },
    });
    expect((await loadConfig({ dir, env, overrides: { model: 'flag/model' } })).model).toBe('flag/model');
    const nothing = await mkdtemp(join(tmpdir(), 'aura-empty-'));
    expect(await loadConfig({ dir: nothing, env: { XDG_CONFIG_HOME: nothing } })).toEqual({});
  });

  it('keeps each permission rule with its own origin, in the order they apply', async () => {
    const home = await mkdtemp(join(tmpdir(), 'aura-precedence-home-'));
    const dir = await mkdtemp(join(tmpdir(), 'aura-precedence-project-'));
    await mkdir(join(home, 'aura'));
    await writeFile(
      join(home, 'aura', 'config.yaml'),
      'permissions:\n  - { tool: exec, pattern: "npm *", action: allow }\n',
    );
    await mkdir(join(dir, '.aura'));
    await writeFile(
      join(dir, '.aura', 'config.yaml'),
      'permissions:\n  - { tool: exec, pattern: "npm publish*", action: deny }\n',
    );
    const entries = configEntries(await loadConfigLayers({ dir, env: { XDG_CONFIG_HOME: home } }));
    expect(entries.map((e) => [e.key, e.layer, (e.value as { action: string }).action])).toEqual([
      ['permissions.0', 'user', 'allow'],
      ['permissions.1', 'project', 'deny'],
    ]);
  });
});

describe('aura serve: the user file, then AURA_* variables', () => {
  it('lets a variable beat the file and keeps what it does not set', async () => {
    const home = await mkdtemp(join(tmpdir(), 'aura-server-config-'));
    await mkdir(join(home, 'aura'));
    await writeFile(join(home, 'aura', 'config.yaml'), 'model: file/model\nmaxSteps: 20\n');
    expect(await loadServerConfig({ XDG_CONFIG_HOME: home, AURA_MAX_STEPS: '7' })).toEqual({
      model: 'file/model',
      maxSteps: 7,
    });
    expect(await loadServerConfig({ XDG_CONFIG_HOME: home })).toEqual({ model: 'file/model', maxSteps: 20 });
  });

  it('refuses a variable it cannot read, naming it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'aura-server-config-'));
    const loading = loadServerConfig({ XDG_CONFIG_HOME: home, AURA_MAX_STEPS: 'lots' });
    await expect(loading).rejects.toThrow(ConfigError);
    await expect(loading).rejects.toThrow('AURA_MAX_STEPS: expected a whole number, got "lots"');
  });
});
