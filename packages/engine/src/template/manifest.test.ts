import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TemplateError } from './errors.ts';
import { fixtureManifest, writeTemplate } from './fixture.ts';
import { parseManifest, readManifest } from './manifest.ts';
import { DEFAULT_TEMPLATE, getTemplate, listTemplates, templatesDir } from './registry.ts';

const problemsOf = (value: unknown): string => {
  try {
    parseManifest(value, 'aura.json');
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).code).toBe('invalid_manifest');
    return (error as Error).message;
  }
  throw new Error('expected the manifest to be rejected');
};

describe('aura.json validation', () => {
  it('accepts a complete manifest', () => {
    expect(parseManifest(fixtureManifest('tiny'), 'aura.json')).toEqual(fixtureManifest('tiny'));
  });

  it('names every missing field', () => {
    const message = problemsOf({ name: 'x', description: 'd' });
    expect(message).toContain('aura.json is not a valid template manifest');
    for (const field of ['install', 'dev', 'build', 'check', 'port']) {
      expect(message).toContain(`  - ${field}: is missing`);
    }
    expect(message).not.toContain('name:');
  });

  it('explains wrong values field by field', () => {
    const message = problemsOf({
      ...fixtureManifest('ok'),
      name: 'Bad Name',
      dev: '   ',
      port: '5173',
    });
    expect(message).toContain('  - name: must be 1–64 lowercase letters, digits or dashes');
    expect(message).toContain('  - dev: must be a shell command that starts the dev server on $PORT');
    expect(message).toContain('  - port: must be a number');
    expect(problemsOf({ ...fixtureManifest('ok'), port: 70_000 })).toContain(
      'port: must be a TCP port (1–65535)',
    );
    expect(problemsOf({ ...fixtureManifest('ok'), port: 80.5 })).toContain('port: must be an integer');
    expect(problemsOf([])).toContain('(root): must be a JSON object');
  });

  describe('from disk', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'aura-manifest-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('reports a missing aura.json as not_found', async () => {
      await expect(readManifest(dir)).rejects.toMatchObject({
        code: 'not_found',
        message: `No aura.json in ${dir}`,
      });
    });

    it('reports invalid JSON with the file name', async () => {
      await writeFile(join(dir, 'aura.json'), '{ "name": "x", }');
      await expect(readManifest(dir)).rejects.toMatchObject({ code: 'invalid_manifest' });
      await expect(readManifest(dir)).rejects.toThrow(`${join(dir, 'aura.json')} is not valid JSON`);
    });

    it('lists templates (default first), skips folders without aura.json, and rejects a misnamed one', async () => {
      await writeTemplate(dir, 'zeta', {});
      await writeTemplate(dir, DEFAULT_TEMPLATE, {});
      await writeTemplate(dir, 'alpha', {});
      await mkdir(join(dir, 'not-a-template'));
      const names = (await listTemplates({ templatesDir: dir })).map((t) => t.name);
      expect(names).toEqual([DEFAULT_TEMPLATE, 'alpha', 'zeta']);

      await expect(getTemplate('nope', { templatesDir: dir })).rejects.toMatchObject({
        code: 'not_found',
        message: `Unknown template "nope". Available templates: ${DEFAULT_TEMPLATE}, alpha, zeta.`,
      });

      await writeTemplate(dir, 'beta', {}, fixtureManifest('gamma'));
      await expect(listTemplates({ templatesDir: dir })).rejects.toThrow(
        'name is "gamma" but the folder is "beta"',
      );
    });
  });
});

describe('the templates shipped in templates/', () => {
  it('resolves the repository folder, overridable by AURA_TEMPLATES_DIR', () => {
    expect(templatesDir({}, {})).toMatch(/\/templates$/);
    expect(templatesDir({}, { AURA_TEMPLATES_DIR: '/srv/t' })).toBe('/srv/t');
    expect(templatesDir({ templatesDir: '/opt/t' }, { AURA_TEMPLATES_DIR: '/srv/t' })).toBe('/opt/t');
  });

  it('are react-vite (the default), node-api and static, each with a README and a dev command on $PORT', async () => {
    const templates = await listTemplates({ templatesDir: templatesDir({}, {}) });
    expect(templates.map((t) => t.name)).toEqual(['react-vite', 'node-api', 'static']);
    for (const template of templates) {
      expect(await readFile(join(template.dir, 'README.md'), 'utf8')).toMatch(/^# /);
      expect(template.manifest.install).toBe('npm install --no-audit --no-fund');
      expect(template.manifest.port).toBe(5173);
    }
    const react = templates[0]!.manifest;
    expect(react.dev).toContain('--host 127.0.0.1 --port $PORT --strictPort');
  });
});
