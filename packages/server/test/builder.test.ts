import type { EventEnvelope } from '@aura/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createProject,
  createSession,
  eventLog,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  waitForIdle,
  writeScript,
} from './helpers.ts';
import { enterPreview, hostRequest, type PreviewBody } from './preview-fixture.ts';

let server: TestServer;
let user: TestUser;

beforeAll(async () => {
  server = await startTestServer('sqlite');
  user = await signUp(server, 'builder');
});

afterAll(async () => {
  await server?.close();
});

const page = (title: string) =>
  `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <title>${title}</title>\n  </head>\n  <body>\n    <h1>${title}</h1>\n  </body>\n</html>\n`;

/** A build installs, type-checks and starts a dev server: on a busy machine that is slow. */
const BUILD_TIMEOUT_MS = 120_000;

describe('app builder over the server', () => {
  it('builds with mode "build": phases, files, dev server behind the preview proxy, COMPLETE', async () => {
    const project = await createProject(user, 'Landing page');
    const session = await createSession(user, project.id, { mode: 'build' });
    const model = await writeScript(server.dataDir, [
      {
        object: {
          summary: 'A one-page site',
          phases: [
            {
              name: 'Landing page',
              description: 'The page itself',
              files: [{ path: 'index.html', purpose: 'the page' }],
              dependencies: [],
              commands: [],
            },
          ],
        },
      },
      {
        text: 'Writing the page.',
        tools: [{ name: 'write', input: { path: 'index.html', content: page('Hello from the builder') } }],
      },
      { text: 'Done.' },
    ]);
    const started = await api(user, 'POST', `/api/sessions/${session.id}/messages`, {
      text: 'Build a static landing page',
      model,
      mode: 'build',
    });
    expect(started.status).toBe(202);
    // While the builder sets the project up, nobody else may start its dev server.
    const early = await api<{ error: { code: string } }>(user, 'POST', `/api/projects/${project.id}/preview`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('build_active');
    const state = await waitForIdle(user, session.id, BUILD_TIMEOUT_MS);
    expect(state.state).toBe('COMPLETE');

    const events = await eventLog(server, session.id);
    const states = events.flatMap((e: EventEnvelope) => (e.type === 'state_change' ? [e.data.state] : []));
    expect(states).toEqual([
      'DESIGNING_PHASE',
      'IMPLEMENTING_PHASE',
      'INSTALLING_DEPS',
      'STARTING_SERVER',
      'VERIFYING',
      'COMPLETE',
    ]);
    const types = events.map((e: EventEnvelope) => e.type);
    for (const type of [
      'phase_designing',
      'phase_designed',
      'file_start',
      'file_chunk',
      'file_end',
      'files_written',
      'deps_installed',
      'server_started',
      'generation_complete',
    ]) {
      expect(types, type).toContain(type);
    }
    const serverStarted = events.find((e: EventEnvelope) => e.type === 'server_started');
    expect(serverStarted?.type === 'server_started' && serverStarted.data.url).not.toContain('token');
    expect((await api<{ template: string }>(user, 'GET', `/api/projects/${project.id}`)).body.template).toBe(
      'static',
    );

    const preview = await api<PreviewBody>(user, 'GET', `/api/projects/${project.id}/preview`);
    expect(preview.body.status).toBe('running');
    const { host, cookie } = await enterPreview(server, preview.body.url);
    const served = await hostRequest(server, host, '/', { headers: { cookie } });
    expect(served.status).toBe(200);
    expect(served.body).toContain('Hello from the builder');
  });
});

describe('the bundled scripted demo', () => {
  it('builds the React todo app through the real builder, sandbox and preview', async () => {
    const project = await createProject(user, 'Todo demo');
    const session = await createSession(user, project.id, { mode: 'build' });
    // The IDE offers the demo the server names in GET /api/models.
    const models = await api<{ demo: { model: string; prompt: string; mode: string; label: string } }>(
      user,
      'GET',
      '/api/models',
    );
    const { demo } = models.body;
    expect(demo.label).toMatch(/scripted demo/i);
    // Clients name the demo by id; where the script lives stays on the server.
    expect(models.text).not.toContain('build-todo.json');
    const started = await api(user, 'POST', `/api/sessions/${session.id}/messages`, {
      text: demo.prompt,
      model: demo.model,
      mode: demo.mode,
    });
    expect(started.status).toBe(202);
    const state = await waitForIdle(user, session.id, BUILD_TIMEOUT_MS);
    expect(state.state).toBe('COMPLETE');
    const events = await eventLog(server, session.id);
    expect(events.find((e: EventEnvelope) => e.type === 'message_start')).toMatchObject({
      data: { scripted: true },
    });
    expect(events.some((e: EventEnvelope) => e.type === 'error')).toBe(false);
    expect((await api<{ template: string }>(user, 'GET', `/api/projects/${project.id}`)).body.template).toBe(
      'react-vite',
    );

    const preview = await api<PreviewBody>(user, 'GET', `/api/projects/${project.id}/preview`);
    const { host, cookie } = await enterPreview(server, preview.body.url);
    const html = await hostRequest(server, host, '/', { headers: { cookie } });
    expect(html.status).toBe(200);
    const app = await hostRequest(server, host, '/src/App.tsx', { headers: { cookie } });
    expect(app.status).toBe(200);
    expect(app.body).toContain('What needs doing?');
  }, 180_000);
});
