import { sandboxAvailability } from '@aura/engine';
import type { ProjectInfo } from '@aura/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createProject,
  createSession,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  waitForIdle,
  writeScript,
} from './helpers.ts';
import { enterPreview, hostRequest, type PreviewBody, writeFixture } from './preview-fixture.ts';

const availability = await sandboxAvailability();
const isolated = availability.bwrap.available;
const privateNetwork = availability.bwrap.available && availability.bwrap.network.private;

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  server = await startTestServer('sqlite');
  alice = await signUp(server, 'sandbox-owner');
});

afterAll(async () => {
  await server?.close();
});

interface ExecBody {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

async function exec(user: TestUser, projectId: string, command: string): Promise<ExecBody> {
  const response = await api<ExecBody>(user, 'POST', `/api/projects/${projectId}/exec`, { command });
  if (response.status !== 200) throw new Error(`exec: ${response.status} ${response.text}`);
  return response.body;
}

/** Network interfaces the project's commands see. */
async function interfaces(user: TestUser, projectId: string): Promise<string[]> {
  const result = await exec(user, projectId, "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");
  return result.stdout.trim().split('\n').sort();
}

async function startPreview(user: TestUser, projectId: string): Promise<PreviewBody> {
  const response = await api<PreviewBody>(user, 'POST', `/api/projects/${projectId}/preview`, {});
  if (response.status !== 200) throw new Error(`start preview: ${response.status} ${response.text}`);
  return response.body;
}

const previewStatus = async (user: TestUser, projectId: string) =>
  (await api<PreviewBody>(user, 'GET', `/api/projects/${projectId}/preview`)).body.status;

describe.runIf(isolated)('the per-project network switch', () => {
  it('is on by default and can be created off', async () => {
    const online = await createProject(alice, 'online');
    expect(online.network).toBe(true);
    const offline = await createProject(alice, 'offline', { network: false });
    expect(offline.network).toBe(false);
    expect(await interfaces(alice, offline.id)).toEqual(['lo']);
    if (privateNetwork) expect((await interfaces(alice, online.id)).length).toBeGreaterThan(1);
  });

  it('PATCH switches it: the sandbox is remade and its dev server stopped', async () => {
    const project = await createProject(alice, 'switchable');
    await writeFixture(alice, project.id);
    expect((await startPreview(alice, project.id)).status).toBe('running');

    const patched = await api<ProjectInfo>(alice, 'PATCH', `/api/projects/${project.id}`, { network: false });
    expect(patched.status).toBe(200);
    expect(patched.body.network).toBe(false);
    expect(await previewStatus(alice, project.id)).toBe('stopped');
    expect(await interfaces(alice, project.id)).toEqual(['lo']);
    const read = await api<ProjectInfo>(alice, 'GET', `/api/projects/${project.id}`);
    expect(read.body.network).toBe(false);

    const back = await api<ProjectInfo>(alice, 'PATCH', `/api/projects/${project.id}`, { network: true });
    expect(back.body.network).toBe(true);
    if (privateNetwork) expect((await interfaces(alice, project.id)).length).toBeGreaterThan(1);
  });

  it('refuses a value that is not a boolean, changing nothing', async () => {
    const project = await createProject(alice, 'typed');
    for (const network of ['off', 0, null]) {
      const response = await api<{ error: { message: string } }>(
        alice,
        'PATCH',
        `/api/projects/${project.id}`,
        { network },
      );
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/network/);
    }
    expect((await api<ProjectInfo>(alice, 'GET', `/api/projects/${project.id}`)).body.network).toBe(true);
  });

  it('refuses to switch while the agent is working (409), and allows it once the run is over', async () => {
    const project = await createProject(alice, 'busy');
    const session = await createSession(alice, project.id);
    const model = await writeScript(server.dataDir, [
      { text: 'thinking slowly '.repeat(40), chunkSize: 4, delayMs: 25 },
    ]);
    const started = await api(alice, 'POST', `/api/sessions/${session.id}/messages`, { text: 'go', model });
    expect(started.status).toBe(202);
    const refused = await api(alice, 'PATCH', `/api/projects/${project.id}`, { network: false });
    expect(refused.status).toBe(409);
    expect(refused.text).toMatch(/stop the run/);
    await waitForIdle(alice, session.id);
    const allowed = await api<ProjectInfo>(alice, 'PATCH', `/api/projects/${project.id}`, { network: false });
    expect(allowed.status).toBe(200);
  });
});

describe.runIf(isolated)('sandbox lifetime', () => {
  it('stops an idle sandbox with its dev server; the next command gets a fresh one', async () => {
    const project = await createProject(alice, 'idle');
    await writeFixture(alice, project.id);
    const preview = await startPreview(alice, project.id);
    const { workspace } = (await server.server.context.store.getProject(project.id))!;
    const pool = server.server.context.sandboxes;
    const devPid = server.server.context.preview.devStatus(project.id)?.pid;
    expect(devPid).toBeGreaterThan(0);

    // Recently used: kept.
    expect(await pool.reapIdle(Date.now())).not.toContain(workspace);
    const reaped = await pool.reapIdle(Date.now() + server.server.context.options.sandboxIdleMs + 1);
    expect(reaped).toContain(workspace);
    expect(pool.has(workspace)).toBe(false);
    expect(await previewStatus(alice, project.id)).toBe('stopped');
    expect(processAlive(devPid!)).toBe(false);

    const entered = await enterPreview(server, preview.url);
    const response = await hostRequest(server, entered.host, '/', { headers: { cookie: entered.cookie } });
    expect(response.status).toBe(503);

    expect((await exec(alice, project.id, 'echo again')).stdout).toBe('again\n');
    expect(pool.has(workspace)).toBe(true);
  });

  it('never reaps a sandbox while a run works in it', async () => {
    const project = await createProject(alice, 'working');
    const session = await createSession(alice, project.id);
    const { workspace } = (await server.server.context.store.getProject(project.id))!;
    await exec(alice, project.id, 'true');
    const model = await writeScript(server.dataDir, [
      { text: 'long answer '.repeat(40), chunkSize: 4, delayMs: 25 },
    ]);
    await api(alice, 'POST', `/api/sessions/${session.id}/messages`, { text: 'go', model });
    const later = Date.now() + server.server.context.options.sandboxIdleMs + 1;
    expect(await server.server.context.sandboxes.reapIdle(later)).not.toContain(workspace);
    await api(alice, 'POST', `/api/sessions/${session.id}/cancel`);
    await waitForIdle(alice, session.id);
  });

  it('deleting a project stops its dev server and sandbox', async () => {
    const project = await createProject(alice, 'doomed');
    await writeFixture(alice, project.id);
    await startPreview(alice, project.id);
    const { workspace } = (await server.server.context.store.getProject(project.id))!;
    const devPid = server.server.context.preview.devStatus(project.id)?.pid;
    expect(devPid).toBeGreaterThan(0);
    const deleted = await api(alice, 'DELETE', `/api/projects/${project.id}`);
    expect(deleted.status).toBe(204);
    expect(server.server.context.sandboxes.has(workspace)).toBe(false);
    expect(processAlive(devPid!)).toBe(false);
  });
});

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
