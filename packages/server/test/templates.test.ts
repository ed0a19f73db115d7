import { existsSync } from 'node:fs';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureTemplates, fixtureTemplates } from '../../engine/src/template/fixture.ts';
import { api, signUp, startTestServer, type TestServer, type TestUser } from './helpers.ts';

interface ProjectBody {
  id: string;
  template: string | null;
}

interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

/**
 * Project creation from templates, with fixture templates (AURA_TEMPLATES_DIR): `tiny`, whose
 * "install" is a node script (no registry), and `plain`, without dependencies. The real
 * templates are installed for real once, in packages/engine/src/template/templates.test.ts.
 */
describe('templates over HTTP', () => {
  let fx: FixtureTemplates;
  let server: TestServer;
  let user: TestUser;
  const saved = process.env.AURA_TEMPLATES_DIR;
  const workspaceOf = (id: string) => join(server.dataDir, 'workspaces', id);

  beforeAll(async () => {
    fx = await fixtureTemplates();
    process.env.AURA_TEMPLATES_DIR = fx.templatesDir;
    server = await startTestServer('sqlite');
    user = await signUp(server, 'Builder');
  });

  afterAll(async () => {
    if (saved === undefined) delete process.env.AURA_TEMPLATES_DIR;
    else process.env.AURA_TEMPLATES_DIR = saved;
    await server?.close();
    await fx?.cleanup();
  });

  it('lists the templates with their descriptions', async () => {
    const response = await api<{ items: unknown[] }>(user, 'GET', '/api/templates');
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([
      { name: 'plain', description: 'Fixture template plain', default: true },
      { name: 'tiny', description: 'Fixture template tiny', default: false },
    ]);
    expect((await api(server.anonymous, 'GET', '/api/templates')).status).toBe(401);
  });

  it('creates a project from a template: its files, and node_modules linked from the cache, installed once', async () => {
    const first = await api<ProjectBody>(user, 'POST', '/api/projects', { name: 'One', template: 'tiny' });
    expect(first.status).toBe(201);
    expect(first.body.template).toBe('tiny');
    const one = workspaceOf(first.body.id);
    for (const file of ['aura.json', 'README.md', 'package.json', 'src/index.js']) {
      expect(existsSync(join(one, file)), file).toBe(true);
    }
    expect(existsSync(join(one, 'node_modules/fake-dep/index.js'))).toBe(true);

    const second = await api<ProjectBody>(user, 'POST', '/api/projects', { name: 'Two', template: 'tiny' });
    expect(second.status).toBe(201);
    const two = workspaceOf(second.body.id);
    expect((await stat(join(two, 'node_modules/fake-dep/index.js'))).ino).toBe(
      (await stat(join(one, 'node_modules/fake-dep/index.js'))).ino,
    );
    expect(await fx.installs()).toBe(1);
    // The cache lives in the data dir, beside npm's own download cache.
    expect(await readdir(join(server.dataDir, 'cache/templates/tiny'))).toHaveLength(1);

    const plain = await api<ProjectBody>(user, 'POST', '/api/projects', { name: 'Plain', template: 'plain' });
    expect(await readdir(workspaceOf(plain.body.id))).toEqual(['aura.json', 'index.html', 'package.json']);
  });

  it('answers an unknown template with 400 listing the templates, and creates nothing', async () => {
    const before = (await api<{ total: number }>(user, 'GET', '/api/projects')).body.total;
    const workspaces = await readdir(join(server.dataDir, 'workspaces'));
    const response = await api<ErrorBody>(user, 'POST', '/api/projects', { name: 'X', template: 'vue-nuxt' });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'unknown_template',
      message: 'Unknown template "vue-nuxt". Available templates: plain, tiny.',
      issues: [{ path: 'template' }],
    });
    expect((await api<{ total: number }>(user, 'GET', '/api/projects')).body.total).toBe(before);
    expect(await readdir(join(server.dataDir, 'workspaces'))).toEqual(workspaces);
  });

  it('still creates the project, with the template files, when installing its dependencies fails', async () => {
    // A new dependency set (new cache key) whose install fails.
    await writeFile(
      join(fx.templatesDir, 'tiny/package.json'),
      JSON.stringify({ name: 'tiny', dependencies: { 'fake-dep': '9.9.9' } }),
    );
    await writeFile(fx.failFlag, '');
    const response = await api<ProjectBody>(user, 'POST', '/api/projects', {
      name: 'Offline',
      template: 'tiny',
    });
    expect(response.status).toBe(201);
    const workspace = workspaceOf(response.body.id);
    expect(existsSync(join(workspace, 'aura.json'))).toBe(true);
    expect(existsSync(join(workspace, 'node_modules'))).toBe(false);
  });

  it('leaves the workspace empty without a template', async () => {
    const response = await api<ProjectBody>(user, 'POST', '/api/projects', { name: 'Blank' });
    expect(response.status).toBe(201);
    expect(await readdir(workspaceOf(response.body.id))).toEqual([]);
  });
});
