import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventEnvelope } from '@aura/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  backendNames,
  createProject,
  createSession,
  eventLog,
  runTurn,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  until,
  waitForIdle,
  writeScript,
} from './helpers.ts';

interface ErrorBody {
  error: { code: string; message: string };
}
interface CheckpointBody {
  id: string;
  message: string;
  createdAt: number;
  sessionId: string | null;
  runId: string | null;
  messageId: string | null;
  restoredFrom: string | null;
  files: { path: string; status: string }[];
}
interface DiffBody {
  id: string;
  diff: string;
  truncated: boolean;
  files: {
    path: string;
    status: string;
    additions: number | null;
    deletions: number | null;
    binary: boolean;
  }[];
}
interface RestoreBody {
  restoredFiles: string[];
  deletedFiles: string[];
  checkpoint?: CheckpointBody;
}

/** Every file under the workspace (dependencies and settings aside): path → base64 bytes. */
function filesOf(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const visit = (absolute: string, relative: string) => {
    for (const name of readdirSync(absolute).sort()) {
      if (['node_modules', '.git', '.aura'].includes(name)) continue;
      const full = join(absolute, name);
      const rel = relative ? `${relative}/${name}` : name;
      if (lstatSync(full).isDirectory()) visit(full, rel);
      else result[rel] = readFileSync(full).toString('base64');
    }
  };
  visit(dir, '');
  return result;
}

const writeStep = (files: Record<string, string>, text = 'Writing.') => ({
  text,
  tools: Object.entries(files).map(([path, content]) => ({ name: 'write', input: { path, content } })),
});

describe.each(backendNames)('checkpoints on %s', (backend) => {
  let server: TestServer;
  let user: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    server = await startTestServer(backend);
    user = await signUp(server, 'Cora');
    stranger = await signUp(server, 'Stan');
  });

  afterAll(async () => {
    await server?.close();
  });

  const workspaceOf = (projectId: string) => join(server.dataDir, 'workspaces', projectId);
  const checkpoints = async (projectId: string, who: TestUser = user) =>
    api<{ items: CheckpointBody[] }>(who, 'GET', `/api/projects/${projectId}/checkpoints`);

  it('records a checkpoint for a turn that wrote files and announces it with checkpoint_created', async () => {
    const project = await createProject(user, 'Checkpointed');
    await api(user, 'PUT', `/api/projects/${project.id}/files/index.html`, { content: '<h1>start</h1>\n' });
    expect((await checkpoints(project.id)).body.items).toEqual([]);
    const session = await createSession(user, project.id);
    const model = await writeScript(server.dataDir, [
      writeStep({ 'hello.txt': 'hi\n', 'src/app.js': 'console.log(1);\n' }),
      { text: 'Done.' },
    ]);
    const runId = await runTurn(user, session.id, 'Write two files', model);

    const log = await eventLog(server, session.id);
    const created = log.find(
      (e): e is EventEnvelope<'checkpoint_created'> => e.type === 'checkpoint_created',
    );
    const messageId = log.find((e) => e.type === 'message_start')?.data;
    expect(created?.data).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{40}$/),
      turn: { sessionId: session.id, runId, messageId: (messageId as { messageId: string }).messageId },
      message: 'Write two files',
      files: [
        { path: 'hello.txt', status: 'added' },
        { path: 'src/app.js', status: 'added' },
      ],
    });
    const types = log.map((e) => e.type);
    expect(types.indexOf('checkpoint_created')).toBeLessThan(types.indexOf('run_finished'));
    expect(log.some((e) => e.type === 'error')).toBe(false);

    const list = await checkpoints(project.id);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c) => c.message)).toEqual(['Write two files', 'Initial state']);
    expect(list.body.items[0]).toMatchObject({ id: created?.data.id, sessionId: session.id, runId });
    expect(list.body.items[1]?.files).toEqual([{ path: 'index.html', status: 'added' }]);
    // The checkpoint repository lives in the data dir, not in the workspace.
    expect(existsSync(join(server.dataDir, 'checkpoints', `${project.id}.git`, 'HEAD'))).toBe(true);
    expect(readdirSync(workspaceOf(project.id)).sort()).toEqual(['hello.txt', 'index.html', 'src']);

    // A turn that changes nothing records nothing.
    await runTurn(user, session.id, 'Just talk', await writeScript(server.dataDir, [{ text: 'Hello.' }]));
    const after = await eventLog(server, session.id);
    expect(after.filter((e) => e.type === 'checkpoint_created')).toHaveLength(1);
    expect((await checkpoints(project.id)).body.items).toHaveLength(2);
  });

  it('diffs and restores over REST: the exact files come back, and a restore can be undone', async () => {
    const project = await createProject(user, 'Restorable');
    const files = `/api/projects/${project.id}/files`;
    await api(user, 'PUT', `${files}/notes.txt`, { content: 'one\ntwo\n' });
    await api(user, 'PUT', `${files}/img/logo.bin`, {
      content: Buffer.from([0, 1, 2, 255, 0, 10, 13, 10]).toString('base64'),
      encoding: 'base64',
    });
    await api(user, 'PUT', `${files}/src/deep/keep.ts`, { content: 'export const keep = true;\n' });
    const stateA = filesOf(workspaceOf(project.id));

    const session = await createSession(user, project.id);
    const model = await writeScript(server.dataDir, [
      {
        text: 'Changing things.',
        tools: [
          { name: 'write', input: { path: 'notes.txt', content: 'one\n2\nthree\n' } },
          { name: 'write', input: { path: 'new/file.ts', content: 'export {};\n' } },
          { name: 'delete', input: { path: 'src/deep/keep.ts' } },
        ],
      },
      { text: 'Changed.' },
    ]);
    await runTurn(user, session.id, 'Change things', model);
    // An edit between turns, not recorded by any checkpoint yet.
    await api(user, 'PUT', `${files}/img/logo.bin`, {
      content: Buffer.from([9, 0, 9, 0, 128]).toString('base64'),
      encoding: 'base64',
    });
    const stateB = filesOf(workspaceOf(project.id));
    expect(stateB).not.toEqual(stateA);

    const [turn, initial] = (await checkpoints(project.id)).body.items;
    expect(turn?.files).toEqual([
      { path: 'new/file.ts', status: 'added' },
      { path: 'notes.txt', status: 'modified' },
      { path: 'src/deep/keep.ts', status: 'deleted' },
    ]);
    const diff = await api<DiffBody>(user, 'GET', `/api/projects/${project.id}/checkpoints/${turn!.id}/diff`);
    expect(diff.status).toBe(200);
    expect(diff.body.diff).toContain('-two\n+2\n+three\n');
    expect(diff.body.files).toContainEqual({
      path: 'notes.txt',
      status: 'modified',
      additions: 2,
      deletions: 1,
      binary: false,
    });

    const restored = await api<RestoreBody>(
      user,
      'POST',
      `/api/projects/${project.id}/checkpoints/${initial!.id}/restore`,
    );
    expect(restored.status).toBe(200);
    expect(restored.body.restoredFiles.sort()).toEqual(['img/logo.bin', 'notes.txt', 'src/deep/keep.ts']);
    expect(restored.body.deletedFiles).toEqual(['new/file.ts']);
    expect(filesOf(workspaceOf(project.id))).toEqual(stateA);
    expect(existsSync(join(workspaceOf(project.id), 'new'))).toBe(false);

    const list = (await checkpoints(project.id)).body.items;
    expect(list.map((c) => c.message)).toEqual([
      `Restored ${initial!.id.slice(0, 7)}`,
      'Changes before restore',
      'Change things',
      'Initial state',
    ]);
    expect(list[0]?.restoredFrom).toBe(initial!.id);
    const undo = await api<RestoreBody>(
      user,
      'POST',
      `/api/projects/${project.id}/checkpoints/${list[1]!.id}/restore`,
    );
    expect(undo.status).toBe(200);
    expect(filesOf(workspaceOf(project.id))).toEqual(stateB);
  });

  it("hides a project's checkpoints from other users and answers 404 for unknown ids", async () => {
    const project = await createProject(user, 'Private history');
    await api(user, 'PUT', `/api/projects/${project.id}/files/a.txt`, { content: 'a' });
    const session = await createSession(user, project.id);
    await runTurn(
      user,
      session.id,
      'Write',
      await writeScript(server.dataDir, [writeStep({ 'b.txt': 'b' })]),
    );
    const [latest] = (await checkpoints(project.id)).body.items;
    const base = `/api/projects/${project.id}/checkpoints`;
    const attempts = [
      await api<ErrorBody>(stranger, 'GET', base),
      await api<ErrorBody>(stranger, 'GET', `${base}/${latest!.id}/diff`),
      await api<ErrorBody>(stranger, 'POST', `${base}/${latest!.id}/restore`),
      await api<ErrorBody>(user, 'GET', `${base}/${'0'.repeat(40)}/diff`),
      await api<ErrorBody>(user, 'POST', `${base}/HEAD/restore`),
      await api<ErrorBody>(user, 'GET', `/api/projects/prj_missing/checkpoints`),
    ];
    for (const response of attempts) {
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
    expect((await api(stranger, 'GET', `/api/projects/${project.id}/files/b.txt`)).status).toBe(404);
    expect(readFileSync(join(workspaceOf(project.id), 'b.txt'), 'utf8')).toBe('b');
  });

  it('refuses to restore while a run is active in any session of the project (409)', async () => {
    const project = await createProject(user, 'Busy');
    await api(user, 'PUT', `/api/projects/${project.id}/files/a.txt`, { content: 'a' });
    const idle = await createSession(user, project.id);
    await runTurn(user, idle.id, 'Write', await writeScript(server.dataDir, [writeStep({ 'b.txt': 'b' })]));
    const [, initial] = (await checkpoints(project.id)).body.items;

    const busy = await createSession(user, project.id);
    const model = await writeScript(server.dataDir, [
      { text: 'Running.', tools: [{ name: 'exec', input: { command: 'true' } }] },
      { text: 'Done.' },
    ]);
    await api(user, 'POST', `/api/sessions/${busy.id}/messages`, { text: 'wait for me', model });
    await until(
      'a permission request',
      () => eventLog(server, busy.id),
      (events) => events.some((e) => e.type === 'permission_request'),
    );
    const refused = await api<ErrorBody>(
      user,
      'POST',
      `/api/projects/${project.id}/checkpoints/${initial!.id}/restore`,
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('run_active');
    expect(readFileSync(join(workspaceOf(project.id), 'b.txt'), 'utf8')).toBe('b');

    expect((await api(user, 'POST', `/api/sessions/${busy.id}/cancel`)).status).toBe(202);
    await waitForIdle(user, busy.id);
    const restored = await api(
      user,
      'POST',
      `/api/projects/${project.id}/checkpoints/${initial!.id}/restore`,
    );
    expect(restored.status).toBe(200);
    expect(existsSync(join(workspaceOf(project.id), 'b.txt'))).toBe(false);
  });
});
