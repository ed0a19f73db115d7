import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  backendNames,
  createProject,
  createSession,
  eventLog,
  listMessages,
  messageText,
  type Page,
  type ProjectBody,
  runTurn,
  sessionState,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  until,
  waitForIdle,
  writeScript,
} from './helpers.ts';

interface ErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}
interface Tree {
  entries: { path: string; type: 'file' | 'dir' | 'symlink' }[];
  truncated: boolean;
}
interface FileBody {
  path: string;
  size: number;
  encoding: 'utf8' | 'base64';
  content: string;
}
interface ExecBody {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}
interface SessionBody {
  id: string;
  title: string | null;
  projectId: string;
  userId: string;
  state: string;
  model: string | null;
  running?: boolean;
}
interface ProviderItem {
  provider: string;
  key: { provider: string; hint: string; baseUrl: string | null } | null;
}

/** The value of one Prometheus sample, e.g. `aura_tokens_total{direction="input"}`. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function waitForPermission(server: TestServer, sessionId: string): Promise<string> {
  const log = await until(
    'a permission request',
    () => eventLog(server, sessionId),
    (events) => {
      const last = events.at(-1);
      return (
        events.some((e) => e.type === 'permission_request') &&
        last?.type === 'state_change' &&
        last.data.state === 'WAITING_PERMISSION'
      );
    },
  );
  const request = log.findLast((e) => e.type === 'permission_request');
  if (request?.type !== 'permission_request') throw new Error('no permission request');
  return request.data.requestId;
}

const execScript = (command: string) => [
  { text: 'Running it.', tools: [{ name: 'exec', input: { command } }] },
  { text: 'All done.' },
];

describe.each(backendNames)('REST on %s', (backend) => {
  let server: TestServer;
  let user: TestUser;
  let outside: string;

  beforeAll(async () => {
    server = await startTestServer(backend);
    user = await signUp(server, 'Rita');
    outside = await mkdtemp(join(tmpdir(), 'aura-outside-'));
    await writeFile(join(outside, 'secret.txt'), 'outside secret\n');
  });

  afterAll(async () => {
    await server?.close();
    if (outside) await rm(outside, { recursive: true, force: true });
  });

  const workspaceOf = (projectId: string) => join(server.dataDir, 'workspaces', projectId);

  describe('projects', () => {
    it('creates, reads, renames and deletes a project, its sessions and workspace going with it', async () => {
      const created = await api<ProjectBody>(user, 'POST', '/api/projects', {
        name: '  Todo app  ',
        description: 'A list of things',
        template: 'static',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'Todo app',
        description: 'A list of things',
        template: 'static',
        ownerId: user.id,
      });
      expect(created.body).not.toHaveProperty('workspace');
      expect(created.text).not.toContain(server.dataDir);
      const id = created.body.id;

      expect((await api<ProjectBody>(user, 'GET', `/api/projects/${id}`)).body).toEqual(created.body);

      const renamed = await api<ProjectBody>(user, 'PATCH', `/api/projects/${id}`, {
        name: 'Todo list',
        description: null,
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({
        id,
        name: 'Todo list',
        description: null,
        template: 'static',
      });
      expect(renamed.body.updatedAt).toBeGreaterThanOrEqual(created.body.updatedAt);
      expect((await api<ProjectBody>(user, 'GET', `/api/projects/${id}`)).body.name).toBe('Todo list');

      await api(user, 'PUT', `/api/projects/${id}/files/index.html`, { content: '<h1>hi</h1>' });
      const session = await createSession(user, id);
      expect(existsSync(join(workspaceOf(id), 'index.html'))).toBe(true);

      expect((await api(user, 'DELETE', `/api/projects/${id}`)).status).toBe(204);
      expect((await api(user, 'GET', `/api/projects/${id}`)).status).toBe(404);
      expect((await api(user, 'GET', `/api/sessions/${session.id}`)).status).toBe(404);
      expect((await api(user, 'DELETE', `/api/projects/${id}`)).status).toBe(404);
      const list = await api<Page<ProjectBody>>(user, 'GET', '/api/projects');
      expect(list.body.items.map((p) => p.id)).not.toContain(id);
      expect(existsSync(workspaceOf(id))).toBe(false);
    });

    it('pages and searches the project list, most recently updated first', async () => {
      const owner = await signUp(server, 'Pager');
      const names: [string, string?][] = [
        ['Alpha one'],
        ['Beta two'],
        ['Gamma three'],
        ['alpha four'],
        ['Delta', 'mentions ALPHA in its description'],
      ];
      const ids: string[] = [];
      for (const [name, description] of names) {
        ids.push((await createProject(owner, name, description ? { description } : {})).id);
      }
      const seen: string[] = [];
      for (const offset of [0, 2, 4]) {
        const page = await api<Page<ProjectBody>>(owner, 'GET', `/api/projects?limit=2&offset=${offset}`);
        expect(page.status).toBe(200);
        expect(page.body.total).toBe(5);
        expect(page.body.items).toHaveLength(offset === 4 ? 1 : 2);
        seen.push(...page.body.items.map((p) => p.id));
      }
      expect([...seen].sort()).toEqual([...ids].sort());

      const beta = ids[1]!;
      await api(owner, 'PATCH', `/api/projects/${beta}`, { description: 'touched' });
      const all = await api<Page<ProjectBody>>(owner, 'GET', '/api/projects');
      const updated = all.body.items.map((p) => p.updatedAt);
      expect(updated).toEqual([...updated].sort((a, b) => b - a));
      const betaUpdated = all.body.items.find((p) => p.id === beta)!.updatedAt;
      expect(Math.max(...updated)).toBe(betaUpdated);

      const alpha = await api<Page<ProjectBody>>(owner, 'GET', '/api/projects?search=alpha');
      expect(alpha.body.items.map((p) => p.name).sort()).toEqual(['Alpha one', 'Delta', 'alpha four']);
      expect(alpha.body.total).toBe(3);
      const none = await api<Page<ProjectBody>>(owner, 'GET', '/api/projects?search=zebra');
      expect(none.body).toMatchObject({ items: [], total: 0 });
    });
  });

  describe('files', () => {
    let project: ProjectBody;
    const files = () => `/api/projects/${project.id}/files`;

    beforeAll(async () => {
      project = await createProject(user, 'Files');
    });

    it('creates empty folders, refusing ones that exist or escape the workspace', async () => {
      const folders = `/api/projects/${project.id}/folders`;
      const made = await api<{ path: string }>(user, 'POST', folders, { path: 'src/components/ui' });
      expect(made.status).toBe(201);
      const tree = await api<{ entries: { path: string; type: string }[] }>(user, 'GET', files());
      expect(tree.body.entries).toContainEqual({ path: 'src/components/ui', type: 'dir' });
      expect(
        (await api<ErrorBody>(user, 'POST', folders, { path: 'src/components/ui' })).body.error.code,
      ).toBe('exists');
      await api(user, 'PUT', `${files()}/taken.txt`, { content: 'x' });
      expect((await api(user, 'POST', folders, { path: 'taken.txt' })).status).toBe(409);
      for (const path of ['../outside', '/etc/evil', '']) {
        expect((await api(user, 'POST', folders, { path })).status, path).toBe(400);
      }
    });

    it('writes, lists, reads, moves and deletes nested files, names with spaces included', async () => {
      expect(
        (await api(user, 'PUT', `${files()}/src/lib/util.ts`, { content: 'export const x = 1;\n' })).status,
      ).toBe(200);
      const spaced = await api<{ path: string; size: number }>(
        user,
        'PUT',
        `${files()}/${encodeURIComponent('my docs')}/${encodeURIComponent('read me #1 (100%).md')}`,
        { content: 'Hällo wörld\n' },
      );
      expect(spaced.status).toBe(200);
      expect(spaced.body).toEqual({
        path: 'my docs/read me #1 (100%).md',
        size: Buffer.byteLength('Hällo wörld\n'),
      });
      expect(await readFile(join(workspaceOf(project.id), 'my docs', 'read me #1 (100%).md'), 'utf8')).toBe(
        'Hällo wörld\n',
      );

      const tree = await api<Tree>(user, 'GET', files());
      expect(tree.body.truncated).toBe(false);
      expect(tree.body.entries).toEqual(
        expect.arrayContaining([
          { path: 'src', type: 'dir' },
          { path: 'src/lib', type: 'dir' },
          { path: 'src/lib/util.ts', type: 'file' },
          { path: 'my docs', type: 'dir' },
          { path: 'my docs/read me #1 (100%).md', type: 'file' },
        ]),
      );

      const read = await api<FileBody>(
        user,
        'GET',
        `${files()}/my%20docs/${encodeURIComponent('read me #1 (100%).md')}`,
      );
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        encoding: 'utf8',
        content: 'Hällo wörld\n',
        path: 'my docs/read me #1 (100%).md',
      });

      const moved = await api(user, 'POST', `${files()}/move`, {
        from: 'src/lib/util.ts',
        to: 'lib/new place/util.ts',
      });
      expect(moved.status).toBe(200);
      expect((await api(user, 'GET', `${files()}/src/lib/util.ts`)).status).toBe(404);
      expect((await api<FileBody>(user, 'GET', `${files()}/lib/new%20place/util.ts`)).body.content).toBe(
        'export const x = 1;\n',
      );

      expect((await api(user, 'DELETE', `${files()}/lib/new%20place/util.ts`)).status).toBe(204);
      expect((await api(user, 'GET', `${files()}/lib/new%20place/util.ts`)).status).toBe(404);
      expect((await api(user, 'DELETE', `${files()}/my%20docs`)).status).toBe(204);
      const after = await api<Tree>(user, 'GET', files());
      expect(after.body.entries.map((e) => e.path)).not.toContain('my docs/read me #1 (100%).md');
      expect(after.body.entries.map((e) => e.path)).not.toContain('my docs');
      expect((await api(user, 'DELETE', `${files()}/my%20docs`)).status).toBe(404);
    });

    it('round-trips a binary file as base64, byte for byte', async () => {
      const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256));
      const put = await api(user, 'PUT', `${files()}/assets/logo.bin`, {
        content: bytes.toString('base64'),
        encoding: 'base64',
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ size: 512 });
      expect((await readFile(join(workspaceOf(project.id), 'assets', 'logo.bin'))).equals(bytes)).toBe(true);
      const read = await api<FileBody>(user, 'GET', `${files()}/assets/logo.bin`);
      expect(read.body.encoding).toBe('base64');
      expect(Buffer.from(read.body.content, 'base64').equals(bytes)).toBe(true);
    });

    it('refuses paths that leave the workspace and touches nothing outside it', async () => {
      const workspace = workspaceOf(project.id);
      await symlink(outside, join(workspace, 'escape'));
      await symlink(join(outside, 'secret.txt'), join(workspace, 'secret-link.txt'));
      const outsideBefore = await readdir(outside);
      const workspacesBefore = await readdir(join(server.dataDir, 'workspaces'));

      const escapes = [
        '..%2F..%2F..%2F..%2Fetc%2Fpasswd',
        '..%2F..%2Fserver.key',
        `..%2F..%2F${encodeURIComponent(outside.slice(1))}%2Fsecret.txt`,
        encodeURIComponent('/etc/passwd'),
        encodeURIComponent(join(outside, 'secret.txt')),
        'escape/secret.txt',
        'escape/new.txt',
        'secret-link.txt',
        'sub/..%2F..%2Fescaped.txt',
      ];
      for (const path of escapes) {
        for (const [method, body] of [
          ['GET', undefined],
          ['PUT', { content: 'pwned' }],
          ['DELETE', undefined],
        ] as const) {
          // Deleting the link itself is allowed (and leaves its target alone): see the next test.
          if (method === 'DELETE' && path === 'secret-link.txt') continue;
          const response = await api<ErrorBody>(user, method, `${files()}/${path}`, body);
          expect([400, 404], `${method} ${path}: ${response.text}`).toContain(response.status);
          expect(response.text).not.toContain('outside secret');
          expect(response.text).not.toContain('root:');
        }
      }
      for (const [from, to] of [
        ['escape/secret.txt', 'stolen.txt'],
        ['secret-link.txt', '../stolen.txt'],
        ['assets/logo.bin', 'escape/logo.bin'],
        ['assets/logo.bin', '/tmp/logo.bin'],
      ]) {
        const response = await api<ErrorBody>(user, 'POST', `${files()}/move`, { from, to });
        expect(response.status, `move ${from} → ${to}`).toBe(400);
        expect(response.body.error.code).toBe('bad_path');
      }

      expect(await readdir(outside)).toEqual(outsideBefore);
      expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside secret\n');
      expect(await readdir(join(server.dataDir, 'workspaces'))).toEqual(workspacesBefore);
      expect(existsSync(join(workspace, 'stolen.txt'))).toBe(false);
      expect(existsSync(join(workspace, 'assets', 'logo.bin'))).toBe(true);
      await rm(join(workspace, 'escape'));
      await rm(join(workspace, 'secret-link.txt'));
    });

    it('deletes a symlink itself, never the file or directory it points to', async () => {
      const workspace = workspaceOf(project.id);
      await symlink(outside, join(workspace, 'planted'));
      expect((await api(user, 'DELETE', `${files()}/planted`)).status).toBe(204);
      expect(existsSync(join(workspace, 'planted'))).toBe(false);
      expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside secret\n');

      await api(user, 'PUT', `${files()}/real.txt`, { content: 'keep me' });
      await symlink('real.txt', join(workspace, 'alias.txt'));
      expect((await api<FileBody>(user, 'GET', `${files()}/alias.txt`)).body.content).toBe('keep me');
      expect((await api(user, 'DELETE', `${files()}/alias.txt`)).status).toBe(204);
      expect((await api<FileBody>(user, 'GET', `${files()}/real.txt`)).body.content).toBe('keep me');
    });

    it('refuses moves onto an existing file, of the workspace root and of a directory into itself', async () => {
      await api(user, 'PUT', `${files()}/docs/a.md`, { content: 'a' });
      await api(user, 'PUT', `${files()}/docs/b.md`, { content: 'b' });
      const cases: [unknown, number, string][] = [
        [{ from: 'docs/a.md', to: 'docs/b.md' }, 409, 'exists'],
        [{ from: 'docs/missing.md', to: 'docs/c.md' }, 404, 'not_found'],
        [{ from: '.', to: 'elsewhere' }, 400, 'bad_path'],
        [{ from: 'docs', to: 'docs/inner/docs' }, 400, 'bad_path'],
        [{ from: 'docs/a.md', to: '.' }, 400, 'bad_path'],
      ];
      for (const [body, status, code] of cases) {
        const response = await api<ErrorBody>(user, 'POST', `${files()}/move`, body);
        expect(response.status, JSON.stringify(body)).toBe(status);
        expect(response.body.error.code).toBe(code);
      }
      expect((await api(user, 'DELETE', `${files()}/.`)).status).toBe(400);
      expect((await api(user, 'DELETE', `${files()}/`)).status).toBe(400);
      expect((await api<FileBody>(user, 'GET', `${files()}/docs/a.md`)).body.content).toBe('a');
      expect((await api<FileBody>(user, 'GET', `${files()}/docs/b.md`)).body.content).toBe('b');
    });

    it('refuses to send a file over 5 MB (413) rather than stream it into JSON', async () => {
      await writeFile(join(workspaceOf(project.id), 'huge.log'), Buffer.alloc(5 * 1024 * 1024 + 1, 97));
      const response = await api<ErrorBody>(user, 'GET', `${files()}/huge.log`);
      expect(response.status).toBe(413);
      expect(response.body.error.code).toBe('file_too_large');
      expect((await api(user, 'DELETE', `${files()}/huge.log`)).status).toBe(204);
    });

    it('refuses to read a directory as a file and to write over a directory', async () => {
      expect((await api<ErrorBody>(user, 'GET', `${files()}/docs`)).body.error.code).toBe('is_directory');
      const write = await api<ErrorBody>(user, 'PUT', `${files()}/docs`, { content: 'x' });
      expect(write.status).toBe(400);
      expect((await api<Tree>(user, 'GET', files())).body.entries).toContainEqual({
        path: 'docs',
        type: 'dir',
      });
    });
  });

  describe('exec', () => {
    let project: ProjectBody;

    beforeAll(async () => {
      project = await createProject(user, 'Shell');
      await api(user, 'PUT', `/api/projects/${project.id}/files/input.txt`, {
        content: 'from the workspace\n',
      });
    });

    it('runs a command in the workspace and returns exitCode, stdout and stderr', async () => {
      const response = await api<ExecBody>(user, 'POST', `/api/projects/${project.id}/exec`, {
        command: 'cat input.txt; echo oops >&2; echo made > output.txt; exit 3',
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        exitCode: 3,
        stdout: 'from the workspace\n',
        stderr: 'oops\n',
        timedOut: false,
      });
      expect(await readFile(join(workspaceOf(project.id), 'output.txt'), 'utf8')).toBe('made\n');
    });

    it("does not hand the server's secrets to commands", async () => {
      const planted = {
        OPENAI_API_KEY: 'sk-aura-test-openai-must-not-leak',
        AURA_SECRET_KEY: 'aura-secret-key-must-not-leak',
        DATABASE_URL: 'postgres://aura:hunter2-must-not-leak@db/aura',
      };
      const previous = Object.fromEntries(Object.keys(planted).map((k) => [k, process.env[k]]));
      Object.assign(process.env, planted);
      try {
        const response = await api<ExecBody>(user, 'POST', `/api/projects/${project.id}/exec`, {
          command: 'env',
        });
        expect(response.body.exitCode).toBe(0);
        expect(response.body.stdout).toContain('PATH=');
        for (const [name, value] of Object.entries(planted)) {
          expect(response.body.stdout).not.toContain(value);
          expect(response.body.stdout).not.toContain(`${name}=`);
        }
      } finally {
        for (const [name, value] of Object.entries(previous)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    });

    it('stops a command at timeout_ms and says so', async () => {
      const response = await api<ExecBody>(user, 'POST', `/api/projects/${project.id}/exec`, {
        command: 'sleep 30',
        timeout_ms: 200,
      });
      expect(response.status).toBe(200);
      expect(response.body.timedOut).toBe(true);
      expect(response.body.exitCode).not.toBe(0);
    });
  });

  describe('sessions and runs', () => {
    let project: ProjectBody;

    beforeAll(async () => {
      project = await createProject(user, 'Chat');
    });

    it('creates, lists (paged) and reads sessions', async () => {
      const own = await createProject(user, 'Sessions list');
      const created: SessionBody[] = [];
      for (const title of ['first', 'second', 'third']) {
        const response = await api<SessionBody>(user, 'POST', `/api/projects/${own.id}/sessions`, { title });
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({ title, projectId: own.id, userId: user.id, state: 'IDLE' });
        created.push(response.body);
      }
      const pages = [
        await api<Page<SessionBody>>(user, 'GET', `/api/projects/${own.id}/sessions?limit=2`),
        await api<Page<SessionBody>>(user, 'GET', `/api/projects/${own.id}/sessions?limit=2&offset=2`),
      ];
      expect(pages.map((p) => p.body.items.length)).toEqual([2, 1]);
      expect(pages.flatMap((p) => p.body.items.map((s) => s.id)).sort()).toEqual(
        created.map((s) => s.id).sort(),
      );

      const one = await api<SessionBody>(user, 'GET', `/api/sessions/${created[1]!.id}`);
      expect(one.body).toMatchObject({ id: created[1]!.id, title: 'second', running: false });
      // the host path of the workspace never reaches clients
      for (const body of [one.body, created[0], ...pages.flatMap((p) => p.body.items)]) {
        expect(body).not.toHaveProperty('directory');
      }
      expect((await api(user, 'DELETE', `/api/sessions/${created[1]!.id}`)).status).toBe(204);
      expect((await api(user, 'GET', `/api/sessions/${created[1]!.id}`)).status).toBe(404);
      const left = await api<Page<SessionBody>>(user, 'GET', `/api/projects/${own.id}/sessions`);
      expect(left.body.items.map((s) => s.id).sort()).toEqual([created[0]!.id, created[2]!.id].sort());
    });

    it("starts a run with 202 that completes: the answer and the tool's file are saved", async () => {
      const session = await createSession(user, project.id);
      const model = await writeScript(server.dataDir, [
        {
          text: 'Creating the file.',
          tools: [{ name: 'write', input: { path: 'hello.txt', content: 'hi from the agent\n' } }],
        },
        { text: 'Done: hello.txt is written.' },
      ]);
      const posted = await api<{ sessionId: string; runId: string }>(
        user,
        'POST',
        `/api/sessions/${session.id}/messages`,
        { text: 'Write hello.txt', model },
      );
      expect(posted.status).toBe(202);
      expect(posted.body.sessionId).toBe(session.id);
      expect(posted.body.runId).toMatch(/^run_/);

      const finished = await waitForIdle(user, session.id);
      expect(finished.state).toBe('IDLE');
      const messages = await listMessages(user, session.id);
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(messageText(messages[0]!)).toBe('Write hello.txt');
      expect(messageText(messages[1]!)).toContain('Done: hello.txt is written.');
      expect(messages[1]!.parts).toContainEqual(
        expect.objectContaining({ type: 'tool', tool: 'write', state: 'completed' }),
      );
      expect(messages[1]!.finishReason).toBe('stop');
      const file = await api<FileBody>(user, 'GET', `/api/projects/${project.id}/files/hello.txt`);
      expect(file.body.content).toBe('hi from the agent\n');

      const got = await api<SessionBody>(user, 'GET', `/api/sessions/${session.id}`);
      expect(got.body).toMatchObject({ title: 'Write hello.txt', model, running: false });
      const log = await eventLog(server, session.id);
      expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
      expect(log.find((e) => e.type === 'run_finished')?.data).toMatchObject({ status: 'completed' });
      expect((await sessionState(user, session.id)).lastSeq).toBe(log.length);
    });

    it('pages through messages with limit, after and before', async () => {
      const session = await createSession(user, project.id);
      for (const n of [1, 2, 3]) {
        await runTurn(
          user,
          session.id,
          `turn ${n}`,
          await writeScript(server.dataDir, [{ text: `answer ${n}` }]),
        );
      }
      const all = await listMessages(user, session.id);
      expect(all.map(messageText)).toEqual([
        'turn 1',
        'answer 1',
        'turn 2',
        'answer 2',
        'turn 3',
        'answer 3',
      ]);
      const first = await listMessages(user, session.id, '?limit=2');
      expect(first.map(messageText)).toEqual(['turn 1', 'answer 1']);
      const next = await listMessages(user, session.id, `?limit=2&after=${first[1]!.createdAt}`);
      expect(next.map(messageText)).toEqual(['turn 2', 'answer 2']);
      const back = await listMessages(user, session.id, `?limit=2&before=${all[4]!.createdAt}`);
      expect(back.map(messageText)).toEqual(['turn 2', 'answer 2']);
      const tooMany = await api<ErrorBody>(user, 'GET', `/api/sessions/${session.id}/messages?limit=501`);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.code).toBe('invalid_query');
    });

    it('refuses a second message while a run is active (409), cancels it, then runs the next one', async () => {
      const session = await createSession(user, project.id);
      const model = await writeScript(server.dataDir, execScript('echo never > never.txt'));
      expect(
        (await api(user, 'POST', `/api/sessions/${session.id}/messages`, { text: 'go', model })).status,
      ).toBe(202);
      await waitForPermission(server, session.id);
      expect((await sessionState(user, session.id)).running).toBe(true);

      const second = await api<ErrorBody>(user, 'POST', `/api/sessions/${session.id}/messages`, {
        text: 'again',
        model,
      });
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe('run_active');

      const cancel = await api(user, 'POST', `/api/sessions/${session.id}/cancel`);
      expect(cancel.status).toBe(202);
      expect(cancel.body).toEqual({ sessionId: session.id, cancelling: true });
      const state = await waitForIdle(user, session.id);
      expect(state.state).toBe('IDLE');
      const log = await eventLog(server, session.id);
      expect(log.filter((e) => e.type === 'run_finished').map((e) => e.data)).toEqual([
        expect.objectContaining({ status: 'cancelled' }),
      ]);
      const messages = await listMessages(user, session.id);
      expect(messages.map(messageText)).not.toContain('again');
      expect(messages.at(-1)?.finishReason).toBe('cancelled');
      expect(existsSync(join(workspaceOf(project.id), 'never.txt'))).toBe(false);

      const again = await api<ErrorBody>(user, 'POST', `/api/sessions/${session.id}/cancel`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('no_active_run');

      await runTurn(user, session.id, 'hello again', await writeScript(server.dataDir, [{ text: 'Back.' }]));
      expect(messageText((await listMessages(user, session.id)).at(-1)!)).toBe('Back.');
    });

    it('starts exactly one run when several messages arrive at once; the others get 409', async () => {
      const session = await createSession(user, project.id);
      // The run waits for a permission answer, so it is still active whenever the others arrive.
      const model = await writeScript(server.dataDir, execScript('true'));
      const responses = await Promise.all(
        [1, 2, 3, 4, 5].map((n) =>
          api<ErrorBody>(user, 'POST', `/api/sessions/${session.id}/messages`, {
            text: `message ${n}`,
            model,
          }),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([202, 409, 409, 409, 409]);
      for (const refused of responses.filter((r) => r.status === 409)) {
        expect(refused.body.error.code).toBe('run_active');
      }
      await waitForPermission(server, session.id);
      expect((await api(user, 'POST', `/api/sessions/${session.id}/cancel`)).status).toBe(202);
      await waitForIdle(user, session.id);
      const messages = await listMessages(user, session.id);
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      const log = await eventLog(server, session.id);
      expect(log.filter((e) => e.type === 'run_started')).toHaveLength(1);
    });

    it('deletes a session or a whole project in the middle of a run', async () => {
      const doomed = await createProject(user, 'Doomed');
      const first = await createSession(user, doomed.id);
      const second = await createSession(user, doomed.id);
      const model = await writeScript(server.dataDir, execScript('echo late > late.txt'));
      for (const session of [first, second]) {
        await api(user, 'POST', `/api/sessions/${session.id}/messages`, { text: 'wait', model });
        await waitForPermission(server, session.id);
      }
      expect((await api(user, 'DELETE', `/api/sessions/${first.id}`)).status).toBe(204);
      expect((await api(user, 'GET', `/api/sessions/${first.id}`)).status).toBe(404);
      expect((await api(user, 'DELETE', `/api/projects/${doomed.id}`)).status).toBe(204);
      expect((await api(user, 'GET', `/api/sessions/${second.id}`)).status).toBe(404);
      expect(server.server.context.runs.activeCount).toBe(0);
      expect(existsSync(workspaceOf(doomed.id))).toBe(false);
      expect((await api(server.anonymous, 'GET', '/api/health')).status).toBe(200);
    });

    it('answers an exec permission request over REST: "once" runs the command', async () => {
      const session = await createSession(user, project.id);
      const model = await writeScript(server.dataDir, execScript('echo approved > approved.txt'));
      await api(user, 'POST', `/api/sessions/${session.id}/messages`, { text: 'run it', model });
      const requestId = await waitForPermission(server, session.id);
      expect((await sessionState(user, session.id)).state).toBe('WAITING_PERMISSION');
      expect(existsSync(join(workspaceOf(project.id), 'approved.txt'))).toBe(false);

      const unknown = await api<ErrorBody>(
        user,
        'POST',
        `/api/sessions/${session.id}/permissions/perm_unknown`,
        {
          reply: 'once',
        },
      );
      expect(unknown.status).toBe(404);

      const reply = await api(user, 'POST', `/api/sessions/${session.id}/permissions/${requestId}`, {
        reply: 'once',
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ requestId, reply: 'once' });
      await waitForIdle(user, session.id);
      expect(await readFile(join(workspaceOf(project.id), 'approved.txt'), 'utf8')).toBe('approved\n');
      const log = await eventLog(server, session.id);
      expect(log.find((e) => e.type === 'permission_resolved')?.data).toMatchObject({
        requestId,
        reply: 'once',
      });
      expect(log.find((e) => e.type === 'tool_result')?.data).toMatchObject({ tool: 'exec', ok: true });
      // Answered already: a second reply finds nothing to answer.
      const late = await api(user, 'POST', `/api/sessions/${session.id}/permissions/${requestId}`, {
        reply: 'reject',
      });
      expect(late.status).toBe(404);
    });

    it('refuses a bad model id with a 400 that names the problem, saving nothing', async () => {
      const session = await createSession(user, project.id);
      const response = await api<ErrorBody>(user, 'POST', `/api/sessions/${session.id}/messages`, {
        text: 'hi',
        model: 'script:/definitely/not/here.json',
      });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain('/definitely/not/here.json');
      expect(await listMessages(user, session.id)).toEqual([]);
      expect(await sessionState(user, session.id)).toMatchObject({
        state: 'IDLE',
        running: false,
        lastSeq: 0,
      });
    });
  });

  describe('provider keys', () => {
    const key = 'sk-ant-api03-AURATESTKEYVALUE-wxyz';

    it('stores a key encrypted, shows only a hint, and removes it', async () => {
      const owner = await signUp(server, 'Keys');
      const saved = await api<{ provider: string; hint: string }>(owner, 'PUT', '/api/providers/anthropic', {
        apiKey: key,
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ provider: 'anthropic', hint: '…wxyz' });
      expect(saved.text).not.toContain('AURATESTKEYVALUE');

      const listed = await api<{ items: ProviderItem[] }>(owner, 'GET', '/api/providers');
      expect(listed.text).not.toContain('AURATESTKEYVALUE');
      expect(listed.body.items.find((i) => i.provider === 'anthropic')?.key).toMatchObject({ hint: '…wxyz' });
      expect(listed.body.items.find((i) => i.provider === 'openai')?.key).toBeNull();

      const { store, secrets } = server.server.context;
      const stored = await store.getProviderKeyCiphertext(owner.id, 'anthropic');
      expect(stored?.ciphertext).toMatch(/^v1\./);
      expect(stored?.ciphertext).not.toContain('AURATESTKEYVALUE');
      expect(secrets.open(stored!.ciphertext)).toBe(key);
      const rows = await store.kysely.selectFrom('provider_keys').selectAll().execute();
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain('AURATESTKEYVALUE');

      const models = await api<{ items: { id: string; available: boolean }[] }>(owner, 'GET', '/api/models');
      expect(models.body.items.find((m) => m.id.startsWith('anthropic/'))?.available).toBe(true);

      const withUrl = await api<{ hint: string; baseUrl: string | null }>(
        owner,
        'PUT',
        '/api/providers/openai',
        {
          baseUrl: 'http://127.0.0.1:9/v1',
        },
      );
      expect(withUrl.body).toMatchObject({ hint: '', baseUrl: 'http://127.0.0.1:9/v1' });
      expect((await api(owner, 'PUT', '/api/providers/openai', {})).status).toBe(400);
      expect(
        (await api<ErrorBody>(owner, 'PUT', '/api/providers/not-a-provider', { apiKey: key })).body.error
          .code,
      ).toBe('unknown_provider');

      expect((await api(owner, 'DELETE', '/api/providers/anthropic')).status).toBe(204);
      const after = await api<{ items: ProviderItem[] }>(owner, 'GET', '/api/providers');
      expect(after.body.items.find((i) => i.provider === 'anthropic')?.key).toBeNull();
      expect(await store.getProviderKeyCiphertext(owner.id, 'anthropic')).toBeUndefined();
      expect((await api(owner, 'DELETE', '/api/providers/anthropic')).status).toBe(404);
    });

    it('keeps the stored key when only the URL changes', async () => {
      const owner = await signUp(server, 'KeepKey');
      await api(owner, 'PUT', '/api/providers/openai', { apiKey: 'sk-proj-KEEPME-1234' });
      const moved = await api<{ hint: string; baseUrl: string | null }>(
        owner,
        'PUT',
        '/api/providers/openai',
        {
          baseUrl: 'http://127.0.0.1:9/v1',
        },
      );
      expect(moved.body).toMatchObject({ hint: '…1234', baseUrl: 'http://127.0.0.1:9/v1' });
      const config = await server.server.context.configFor(owner.id);
      expect(config.providers?.openai).toMatchObject({
        apiKey: 'sk-proj-KEEPME-1234',
        baseURL: 'http://127.0.0.1:9/v1',
      });
    });

    it('counts a local runtime as usable only once its URL is set', async () => {
      const owner = await signUp(server, 'Local');
      const available = async () =>
        (
          await api<{ items: { id: string; available: boolean }[] }>(owner, 'GET', '/api/models')
        ).body.items.find((m) => m.id.startsWith('ollama/'))?.available;
      expect(await available()).toBe(false);
      await api(owner, 'PUT', '/api/providers/ollama', { baseUrl: 'http://127.0.0.1:11434/v1' });
      expect(await available()).toBe(true);
    });
  });

  describe('operations', () => {
    it('reports health with the database dialect', async () => {
      const health = await api<{ status: string; database: { status: string; dialect: string } }>(
        server.anonymous,
        'GET',
        '/api/health',
      );
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', database: { status: 'ok', dialect: backend } });
    });

    it('exports request latency, active runs, finished runs and tokens to Prometheus', async () => {
      const metrics = async () => (await api(server.anonymous, 'GET', '/metrics')).text;
      const project = await createProject(user, 'Metrics');
      await api(user, 'GET', `/api/projects/${project.id}`);
      const before = await metrics();
      const route = 'method="GET",route="/api/projects/:id",status="200"';
      expect(sample(before, `aura_http_request_duration_seconds_count{${route}}`)).toBeGreaterThanOrEqual(1);
      expect(sample(before, `aura_http_request_duration_seconds_bucket{${route},le="+Inf"}`)).toBe(
        sample(before, `aura_http_request_duration_seconds_count{${route}}`),
      );
      expect(before).toContain('# TYPE aura_http_request_duration_seconds histogram');
      expect(sample(before, 'aura_active_runs')).toBe(0);
      const inputBefore = sample(before, 'aura_tokens_total{direction="input"}') ?? 0;
      const outputBefore = sample(before, 'aura_tokens_total{direction="output"}') ?? 0;
      const completedBefore = sample(before, 'aura_runs_finished_total{status="completed"}') ?? 0;

      const session = await createSession(user, project.id);
      const model = await writeScript(server.dataDir, [
        {
          text: 'Checking.',
          tools: [{ name: 'exec', input: { command: 'true' } }],
          usage: { input: 1200, output: 34 },
        },
        { text: 'Fine.', usage: { input: 1300, output: 5 } },
      ]);
      await api(user, 'POST', `/api/sessions/${session.id}/messages`, { text: 'check', model });
      const requestId = await waitForPermission(server, session.id);
      expect(sample(await metrics(), 'aura_active_runs')).toBe(1);
      await api(user, 'POST', `/api/sessions/${session.id}/permissions/${requestId}`, { reply: 'once' });
      await waitForIdle(user, session.id);

      const after = await metrics();
      expect(sample(after, 'aura_active_runs')).toBe(0);
      expect(sample(after, 'aura_tokens_total{direction="input"}')).toBe(inputBefore + 2500);
      expect(sample(after, 'aura_tokens_total{direction="output"}')).toBe(outputBefore + 39);
      expect(sample(after, 'aura_runs_finished_total{status="completed"}')).toBe(completedBefore + 1);
    });
  });
});

describe.each(backendNames)('a data dir reached through a symlink on %s', (backend) => {
  let server: TestServer;
  let user: TestUser;
  let real: string;
  let link: string;

  beforeAll(async () => {
    // As on macOS, where the temp dir (/var/…) is a symlink to /private/var/….
    real = await mkdtemp(join(tmpdir(), 'aura-real-data-'));
    link = `${real}-link`;
    await symlink(real, link);
    server = await startTestServer(backend, { overrides: { dataDir: link } });
    user = await signUp(server, 'Linus');
  });

  afterAll(async () => {
    await server?.close();
    await rm(link, { force: true });
    await rm(real, { recursive: true, force: true });
  });

  it('still refuses to delete or move the workspace root', async () => {
    const project = await createProject(user, 'Linked');
    const files = `/api/projects/${project.id}/files`;
    await api(user, 'PUT', `${files}/keep.txt`, { content: 'keep' });
    for (const path of ['.', '', '%2E', 'sub%2F..']) {
      const response = await api<ErrorBody>(user, 'DELETE', `${files}/${path}`);
      expect(response.status, `DELETE ${JSON.stringify(path)}`).toBe(400);
    }
    expect((await api<ErrorBody>(user, 'POST', `${files}/move`, { from: '.', to: 'x' })).status).toBe(400);
    expect(existsSync(join(real, 'workspaces', project.id, 'keep.txt'))).toBe(true);
    expect((await api<Tree>(user, 'GET', files)).body.entries).toEqual([{ path: 'keep.txt', type: 'file' }]);
  });
});

describe.each(backendNames)('a server that lost its database on %s', (backend) => {
  it('reports 503 degraded on /api/health and a JSON 500 elsewhere, and keeps serving', async () => {
    const server = await startTestServer(backend);
    try {
      const user = await signUp(server, 'Dana');
      await server.server.context.store.close();
      const health = await api<{ status: string; database: { status: string } }>(
        server.anonymous,
        'GET',
        '/api/health',
      );
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'degraded', database: { status: 'unreachable' } });
      const list = await api<ErrorBody>(user, 'GET', '/api/projects');
      expect(list.status).toBe(500);
      expect(list.body.error.code).toBe('internal');
      expect(list.text).not.toMatch(/sqlite|postgres|kysely|stack/i);
      expect((await api(server.anonymous, 'GET', '/metrics')).text).toContain(
        'aura_errors_total{kind="internal"}',
      );
    } finally {
      await server.close().catch(() => undefined);
    }
  });
});

describe.each(backendNames)('a server without AURA_ALLOW_SCRIPTED_MODELS on %s', (backend) => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer(backend, { allowScriptedModels: false });
    user = await signUp(server, 'Nora');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('refuses scripted models with a 400 naming the flag, and saves nothing', async () => {
    const project = await createProject(user, 'No scripts');
    const session = await createSession(user, project.id);
    const model = await writeScript(server.dataDir, [{ text: 'should never run' }]);
    const response = await api<ErrorBody>(user, 'POST', `/api/sessions/${session.id}/messages`, {
      text: 'hi',
      model,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('scripted_models_disabled');
    expect(response.body.error.message).toContain('AURA_ALLOW_SCRIPTED_MODELS');

    // Nor through the session's saved model.
    const viaSession = await createSession(user, project.id, { model });
    const second = await api<ErrorBody>(user, 'POST', `/api/sessions/${viaSession.id}/messages`, {
      text: 'hi',
    });
    expect(second.status).toBe(400);
    expect(second.body.error.message).toContain('AURA_ALLOW_SCRIPTED_MODELS');

    for (const id of [session.id, viaSession.id]) {
      expect(await listMessages(user, id)).toEqual([]);
      expect(await sessionState(user, id)).toMatchObject({ state: 'IDLE', running: false, lastSeq: 0 });
    }
    const models = await api<{ scriptedAllowed: boolean; demo: unknown }>(user, 'GET', '/api/models');
    expect(models.body.scriptedAllowed).toBe(false);
    expect(models.body.demo).toBeNull();
    const demo = await api<ErrorBody>(user, 'POST', `/api/sessions/${session.id}/messages`, {
      text: 'Build a todo list app',
      model: 'scripted-demo/build-todo',
    });
    expect(demo.status).toBe(400);
    expect(demo.body.error.code).toBe('scripted_models_disabled');
  });
});

describe.each(backendNames)('a public server (private provider URLs refused) on %s', (backend) => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer(backend, { overrides: { allowPrivateProviderUrls: false } });
    user = await signUp(server, 'Pia');
  });

  afterAll(async () => {
    await server?.close();
  });

  it('refuses provider base URLs on loopback or private networks, saving nothing', async () => {
    for (const baseUrl of [
      'http://127.0.0.1:11434/v1',
      'http://10.1.2.3/v1',
      'http://[::1]:8000/v1',
      'http://localhost:1234/v1',
    ]) {
      const saved = await api<ErrorBody>(user, 'PUT', '/api/providers/openai-compatible', { baseUrl });
      expect(saved.status, baseUrl).toBe(400);
      expect(saved.body.error.code).toBe('private_address');
      const tested = await api<ErrorBody>(user, 'POST', '/api/providers/ollama/test', {
        baseUrl,
        model: 'llama3.1',
      });
      expect(tested.body.error.code).toBe('private_address');
    }
    const listed = await api<{ items: ProviderItem[] }>(user, 'GET', '/api/providers');
    expect(listed.body.items.every((item) => item.key === null)).toBe(true);
  });
});
