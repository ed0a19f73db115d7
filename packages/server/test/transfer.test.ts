import { randomBytes } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { entryBytes, readZip } from '@aura/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  backendNames,
  createProject,
  type Page,
  type ProjectBody,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
} from './helpers.ts';

interface ErrorBody {
  error: { code: string; message: string };
}
type ImportBody = ProjectBody & { imported: { files: number; bytes: number; skipped: number } };

interface RawEntry {
  name: string;
  data?: Buffer;
  declaredSize?: number;
  /** External attributes (unix mode << 16). */
  attrs?: number;
  deflate?: boolean;
}

/** A zip written byte by byte, so a test can put in it what real tools refuse to. */
function craftZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = entry.data ?? Buffer.alloc(0);
    const stored = entry.deflate ? deflateRawSync(data) : data;
    const name = Buffer.from(entry.name, 'utf8');
    const size = entry.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(entry.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(entry.deflate ? stored.length : size, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(entry.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(entry.deflate ? stored.length : size, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(entry.attrs ?? (0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += 30 + name.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Files under `dir` (dependencies, VCS data and settings aside): path → base64 bytes. */
function filesOf(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const visit = (absolute: string, relative: string) => {
    for (const name of readdirSync(absolute).sort()) {
      if (['node_modules', '.git', '.aura'].includes(name)) continue;
      const full = join(absolute, name);
      const rel = relative ? `${relative}/${name}` : name;
      const info = lstatSync(full);
      if (info.isDirectory()) visit(full, rel);
      else if (info.isFile()) result[rel] = readFileSync(full).toString('base64');
    }
  };
  visit(dir, '');
  return result;
}

/** Every path under `dir` but the database files, for "nothing was written" checks. */
function allPaths(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => !/\.(sqlite|db)(-wal|-shm|-journal)?$/.test(p))
    .sort();
}

async function download(user: TestUser, path: string) {
  const response = await fetch(`${user.server.url}${path}`, {
    headers: { authorization: `Bearer ${user.token}` },
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: new Uint8Array(await response.arrayBuffer()),
  };
}

function importZip(user: TestUser, zip: Uint8Array, name?: string) {
  const query = name === undefined ? '' : `?name=${encodeURIComponent(name)}`;
  return api<ImportBody & ErrorBody>(user, 'POST', `/api/projects/import${query}`, undefined, {
    raw: zip,
    headers: { 'content-type': 'application/zip' },
  });
}

describe.each(backendNames)('export and import on %s', (backend) => {
  let server: TestServer;
  let user: TestUser;
  let stranger: TestUser;
  let outside: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    user = await signUp(server, 'Ximena');
    stranger = await signUp(server, 'Sam');
    outside = mkdtempSync(join(tmpdir(), 'aura-import-source-'));
  });

  afterAll(async () => {
    await server?.close();
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  const workspaceOf = (projectId: string) => join(server.dataDir, 'workspaces', projectId);
  const projectIds = async () =>
    (await api<Page<ProjectBody>>(user, 'GET', '/api/projects?limit=100')).body.items.map((p) => p.id).sort();

  async function projectWithFiles(): Promise<ProjectBody> {
    const project = await createProject(user, 'My App: v1');
    const put = (path: string, content: string, encoding: 'utf8' | 'base64' = 'utf8') =>
      api(
        user,
        'PUT',
        `/api/projects/${project.id}/files/${path.split('/').map(encodeURIComponent).join('/')}`,
        {
          content,
          encoding,
        },
      );
    await put('index.html', '<h1>hello</h1>\n');
    await put('src/main.ts', 'console.log("hi");\n');
    await put('assets/noise.bin', randomBytes(20_000).toString('base64'), 'base64');
    await put('docs/spaced ünï name.md', '# docs\n');
    await put('empty.txt', '');
    const workspace = workspaceOf(project.id);
    for (const excluded of ['node_modules/dep/index.js', '.git/HEAD', '.aura/config.json']) {
      mkdirSync(dirname(join(workspace, excluded)), { recursive: true });
      writeFileSync(join(workspace, excluded), 'not exported');
    }
    symlinkSync('/etc/passwd', join(workspace, 'passwd-link'));
    return project;
  }

  it('exports exactly the workspace files as a zip, only to the owner', async () => {
    const project = await projectWithFiles();
    const exported = await download(user, `/api/projects/${project.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/zip');
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="My-App-v1.zip"');
    const entries = readZip(exported.bytes);
    const unpacked = Object.fromEntries(
      entries.map((entry) => [entry.name, entryBytes(exported.bytes, entry).toString('base64')]),
    );
    expect(unpacked).toEqual(filesOf(workspaceOf(project.id)));
    expect(Object.keys(unpacked).sort()).toEqual([
      'assets/noise.bin',
      'docs/spaced ünï name.md',
      'empty.txt',
      'index.html',
      'src/main.ts',
    ]);

    expect((await download(stranger, `/api/projects/${project.id}/export`)).status).toBe(404);
    expect((await download(user, '/api/projects/prj_missing/export')).status).toBe(404);
  });

  it('imports an exported zip as a new project with identical files', async () => {
    const original = await projectWithFiles();
    const exported = await download(user, `/api/projects/${original.id}/export`);
    const imported = await importZip(user, exported.bytes, 'Copy of my app');
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ name: 'Copy of my app', ownerId: user.id, imported: { files: 5 } });
    expect(imported.body).not.toHaveProperty('workspace');
    expect(imported.body.id).not.toBe(original.id);
    expect(filesOf(workspaceOf(imported.body.id))).toEqual(filesOf(workspaceOf(original.id)));
    const copy = await api<{ content: string }>(
      user,
      'GET',
      `/api/projects/${imported.body.id}/files/index.html`,
    );
    expect(copy.body.content).toBe('<h1>hello</h1>\n');
    expect((await api(stranger, 'GET', `/api/projects/${imported.body.id}`)).status).toBe(404);
  });

  it('accepts an upload over the JSON body limit, leaves out .aura, and refuses other media types', async () => {
    const big = randomBytes(3 * 1024 * 1024);
    const zip = craftZip([
      { name: 'big.bin', data: big },
      { name: '.aura/config.json', data: Buffer.from('{"permissions":[{"allow":"*"}]}') },
      { name: 'ok.txt', data: Buffer.from('fine\n'), deflate: true },
    ]);
    expect(zip.length).toBeGreaterThan(server.options.limits.maxBodyBytes);
    const imported = await importZip(user, zip);
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ name: 'Imported project', imported: { files: 2, skipped: 1 } });
    expect(readdirSync(workspaceOf(imported.body.id)).sort()).toEqual(['big.bin', 'ok.txt']);
    expect(readFileSync(join(workspaceOf(imported.body.id), 'big.bin')).equals(big)).toBe(true);

    const text = await api<ErrorBody>(user, 'POST', '/api/projects/import', undefined, {
      raw: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });

  const probes: [string, RawEntry[], string][] = [
    ['../evil', [{ name: '../evil', data: Buffer.from('pwned') }], 'unsafe_entry'],
    ['/abs', [{ name: '/abs', data: Buffer.from('pwned') }], 'unsafe_entry'],
    ['a/../../evil', [{ name: 'a/../../evil', data: Buffer.from('pwned') }], 'unsafe_entry'],
    ['C:\\evil', [{ name: 'C:\\evil', data: Buffer.from('pwned') }], 'unsafe_entry'],
    [
      'a symlink entry',
      [
        { name: 'evil-link', data: Buffer.from('/etc/passwd'), attrs: (0o120777 << 16) >>> 0 },
        { name: 'evil-link/../x', data: Buffer.from('x') },
      ],
      'unsafe_entry',
    ],
    [
      'a plain symlink entry',
      [{ name: 'link', data: Buffer.from('../../..'), attrs: (0o120777 << 16) >>> 0 }],
      'unsafe_entry',
    ],
    [
      'duplicate names',
      [
        { name: 'evil.txt', data: Buffer.from('1') },
        { name: 'evil.txt', data: Buffer.from('2') },
      ],
      'unsafe_entry',
    ],
    [
      'a zip bomb by declared size',
      [{ name: 'evil-bomb', data: Buffer.from('x'), declaredSize: 0xfffffff0 }],
      'too_large',
    ],
    [
      'a zip bomb lying about its size',
      [{ name: 'evil-bomb', data: Buffer.alloc(20_000_000), declaredSize: 100, deflate: true }],
      'bad_archive',
    ],
    [
      'too many entries',
      Array.from({ length: 10_001 }, (_, i) => ({ name: `evil-${i}`, data: Buffer.from('x') })),
      'too_many_entries',
    ],
  ];

  it.each(probes)('refuses %s with 400 and writes nothing anywhere', async (_what, entries, code) => {
    const before = { data: allPaths(server.dataDir), projects: await projectIds() };
    const response = await importZip(user, craftZip(entries), 'evil');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
    expect(await projectIds()).toEqual(before.projects);
    expect(allPaths(server.dataDir)).toEqual(before.data);
    // Where the escapes would have landed: next to the data dir, the file system root, the cwd.
    for (const landing of [dirname(server.dataDir), '/', process.cwd()]) {
      expect(readdirSync(landing).filter((name) => /evil|^abs$/.test(name))).toEqual([]);
    }
  });

  it('imports a local folder, refusing links that point outside it', async () => {
    const source = join(outside, 'project');
    mkdirSync(join(source, 'src'), { recursive: true });
    writeFileSync(join(source, 'src/app.ts'), 'export const app = 1;\n');
    writeFileSync(join(source, 'README.md'), '# project\n');
    mkdirSync(join(source, 'node_modules/dep'), { recursive: true });
    writeFileSync(join(source, 'node_modules/dep/index.js'), 'dep');
    symlinkSync('src/app.ts', join(source, 'app-link.ts'));

    const imported = await api<ImportBody>(user, 'POST', '/api/projects/import', { path: source });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ name: 'project', imported: { files: 2 } });
    const workspace = workspaceOf(imported.body.id);
    expect(filesOf(workspace)).toEqual(filesOf(source));
    expect(lstatSync(join(workspace, 'app-link.ts')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(workspace, 'node_modules'))).toBe(false);

    writeFileSync(join(outside, 'secret.txt'), 'outside secret\n');
    symlinkSync(join(outside, 'secret.txt'), join(source, 'src/secret-link'));
    const before = { data: allPaths(server.dataDir), projects: await projectIds() };
    const refused = await api<ErrorBody>(user, 'POST', '/api/projects/import', {
      path: source,
      name: 'Leaky',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('unsafe_entry');
    expect(refused.body.error.message).toContain('src/secret-link');
    expect(await projectIds()).toEqual(before.projects);
    expect(allPaths(join(server.dataDir, 'workspaces'))).toEqual(
      before.data.filter((p) => p.startsWith('workspaces/')).map((p) => p.slice('workspaces/'.length)),
    );

    for (const [body, code] of [
      [{ path: 'relative/path' }, 'bad_source'],
      [{ path: join(outside, 'missing') }, 'bad_source'],
      [{ path: server.dataDir }, 'bad_source'],
      [{ path: join(server.dataDir, 'workspaces', imported.body.id) }, 'bad_source'],
      [{ name: 'x' }, 'invalid_body'],
    ] as const) {
      const response = await api<ErrorBody>(user, 'POST', '/api/projects/import', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe(code);
    }
  });
});

describe('folder import on a server that is not personal', () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { overrides: { allowPrivateProviderUrls: false } });
    user = await signUp(server, 'Pat');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('is refused with 403, while zip imports still work', async () => {
    const response = await api<ErrorBody>(user, 'POST', '/api/projects/import', { path: tmpdir() });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('folder_import_disabled');
    const zip = await importZip(user, craftZip([{ name: 'a.txt', data: Buffer.from('a') }]), 'Zipped');
    expect(zip.status).toBe(201);
  });
});
