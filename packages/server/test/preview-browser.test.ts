import { PortAllocator } from '@aura/engine';
import type { EventEnvelope } from '@aura/protocol';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs } from '../src/preview/chromium.ts';
import {
  api,
  createProject,
  createSession,
  eventLog,
  sessionState,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  until,
  writeScript,
} from './helpers.ts';
import { type PreviewBody, writeFixture } from './preview-fixture.ts';

/**
 * The preview in a real browser (headless Chromium, which resolves *.localhost to this machine):
 * the IDE on http://localhost:<port>, previews on http://p-<project>.localhost:<port>.
 */

const CHROMIUM = process.env.AURA_CHROMIUM ?? '/usr/bin/chromium';

let server: TestServer;
let user: TestUser;
let browser: Browser;
let ide: string;

beforeAll(async () => {
  const port = await new PortAllocator().allocate();
  ide = `http://localhost:${port}`;
  server = await startTestServer('sqlite', { overrides: { port, baseUrl: ide, buildVerifySettleMs: 5_000 } });
  user = await signUp(server, 'browser');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', ...chromiumArgs()],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const eventsOf = async (sessionId: string, type: string) =>
  (await eventLog(server, sessionId)).filter((e: EventEnvelope) => e.type === type);

describe('preview in Chromium', () => {
  it("reports the page's runtime errors as preview_error, and never sends the IDE cookie to the preview", async () => {
    const project = await createProject(user, 'browser fixture');
    const session = await createSession(user, project.id);
    await writeFixture(user, project.id);
    const started = await api<PreviewBody>(user, 'POST', `/api/projects/${project.id}/preview`);
    expect(started.body.status).toBe('running');
    const link = new URL(started.body.url);
    const previewOrigin = link.origin;

    const context = await browser.newContext();
    try {
      // Sign in on the IDE origin in this browser: Better Auth's host-only cookie on `localhost`.
      const signIn = await context.request.post(`${ide}/api/auth/sign-in/email`, {
        data: { email: user.email, password: user.password },
        headers: { origin: ide },
      });
      expect(signIn.status()).toBe(200);
      const ideCookie = (await context.cookies()).find((c) => c.name === 'aura.session_token');
      expect(ideCookie).toMatchObject({ domain: 'localhost', httpOnly: true, sameSite: 'Lax' });

      const page = await context.newPage();
      // The cookie works where it belongs: the IDE's API answers this browser.
      const own = await page.goto(`${ide}/api/projects/${project.id}`);
      expect(own?.status()).toBe(200);

      const sent: { url: string; cookie: string }[] = [];
      page.on('request', (request) => {
        if (request.url().startsWith(previewOrigin)) {
          // A request still in flight when the page closes has no headers left to read.
          request
            .allHeaders()
            .then((headers) => sent.push({ url: request.url(), cookie: headers.cookie ?? '' }))
            .catch(() => {});
        }
      });

      const response = await page.goto(`${previewOrigin}/boom${link.search}`);
      expect(response?.status()).toBe(200);
      expect(new URL(page.url()).search).toBe('');
      await expect(page.locator('h1').textContent()).resolves.toBe('boom');
      expect(await page.evaluate('typeof window.__auraPreview')).toBe('object');

      const [thrown] = await until(
        'the page error as preview_error',
        () => eventsOf(session.id, 'preview_error'),
        (events) => events.length >= 1,
      );
      expect(thrown?.data).toMatchObject({ kind: 'error' });
      expect(thrown?.data).toHaveProperty('message', expect.stringContaining('boom from the fixture page'));
      expect(thrown?.data).toHaveProperty('stack', expect.stringContaining('boom from the fixture page'));

      await page.evaluate(() => {
        console.error('console says hi', { n: 1 });
        void fetch('/missing-endpoint');
        void Promise.reject(new Error('nobody caught this'));
      });
      const errors = await until(
        'console, request and rejection reports',
        () => eventsOf(session.id, 'preview_error'),
        (events) => events.length >= 4,
      );
      const byKind = new Map(
        errors.map((e) => [(e.data as { kind: string }).kind, e.data as { message: string }]),
      );
      expect(byKind.get('console')?.message).toBe('console says hi {"n":1}');
      expect(byKind.get('request_failed')?.message).toMatch(/^GET \/missing-endpoint -> 404/);
      expect(byKind.get('unhandled_rejection')?.message).toContain('nobody caught this');

      // Every request the browser made to the preview origin: none carried the IDE's cookie;
      // those after the token exchange carried the preview's own.
      await until(
        'request headers',
        async () => sent.length,
        (n) => n >= 3,
      );
      expect(sent.every((r) => !r.cookie.includes('aura.session_token'))).toBe(true);
      expect(sent.some((r) => r.cookie.startsWith('aura_preview='))).toBe(true);
      // The preview cookie is host-only on the preview origin.
      const previewCookie = (await context.cookies(previewOrigin)).find((c) => c.name === 'aura_preview');
      expect(previewCookie).toMatchObject({ domain: link.hostname, httpOnly: true, sameSite: 'Lax' });
      expect((await context.cookies(ide)).some((c) => c.name === 'aura_preview')).toBe(false);
    } finally {
      await context.close();
    }
  });

  it('react-vite: an edit to src/App.tsx shows up through HMR, without a reload', async () => {
    // Created from the template through the API: its files, and its dependencies hard-linked from
    // the server's dependency cache (which this test server, with its fresh data dir, fills first).
    const project = await createProject(user, 'react app', { template: 'react-vite' });
    const session = await createSession(user, project.id);
    const started = await api<PreviewBody>(user, 'POST', `/api/projects/${project.id}/preview`);
    expect(started.body.status, started.body.logs).toBe('running');

    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const sockets: string[] = [];
      page.on('websocket', (ws) => sockets.push(ws.url()));
      const response = await page.goto(started.body.url);
      expect(response?.status()).toBe(200);
      const heading = page.locator('h1');
      await expect(heading.textContent()).resolves.toBe('Your app starts here');
      // Page state that a full reload would lose: a window marker and React state.
      await page.evaluate("window.__auraMarker = 'survives HMR'");
      await page.getByRole('button').click();
      await expect(page.getByRole('button').textContent()).resolves.toBe('Clicked 1 time');
      const timeOrigin = await page.evaluate(() => performance.timeOrigin);

      const app = await api<{ content: string }>(
        user,
        'GET',
        `/api/projects/${project.id}/files/src/App.tsx`,
      );
      expect(app.status).toBe(200);
      const edited = app.body.content.replace('Your app starts here', 'Edited through HMR');
      expect(edited).not.toBe(app.body.content);
      const put = await api(user, 'PUT', `/api/projects/${project.id}/files/src/App.tsx`, {
        content: edited,
      });
      expect(put.status).toBeLessThan(300);

      await page.waitForFunction("document.querySelector('h1')?.textContent === 'Edited through HMR'");
      expect(await page.evaluate('window.__auraMarker')).toBe('survives HMR');
      expect(await page.evaluate(() => performance.timeOrigin)).toBe(timeOrigin);
      await expect(page.getByRole('button').textContent()).resolves.toBe('Clicked 1 time');
      // The HMR socket went through the preview origin (the proxy), not to Vite's own port.
      expect(
        sockets.some((url) => url.startsWith(new URL(started.body.url).origin.replace('http', 'ws'))),
      ).toBe(true);
      expect(await eventsOf(session.id, 'server_started')).toHaveLength(1);
      // A healthy app with HMR at work reports nothing.
      expect(await eventsOf(session.id, 'preview_error')).toEqual([]);
    } finally {
      await context.close();
    }
  }, 300_000);
});

describe('the app builder and a runtime error in the preview', () => {
  const page = (script: string) =>
    `<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <title>Counter</title>\n  </head>\n  <body>\n    <h1>Counter</h1>\n    <script>${script}</script>\n  </body>\n</html>\n`;

  it('feeds a page error seen in Chromium back to the agent, and a scripted fix round clears it', async () => {
    const project = await createProject(user, 'builder in a browser', { template: 'static' });
    const session = await createSession(user, project.id, { mode: 'build' });
    const model = await writeScript(server.dataDir, [
      {
        object: {
          summary: 'A counter page',
          phases: [
            {
              name: 'Counter',
              description: 'The page',
              files: [{ path: 'index.html', purpose: 'page' }],
              dependencies: [],
              commands: [],
            },
          ],
        },
      },
      {
        tools: [
          { name: 'write', input: { path: 'index.html', content: page('document.title = String(count);') } },
        ],
      },
      { text: 'Page written.' },
      {
        tools: [
          {
            name: 'write',
            input: { path: 'index.html', content: page('let count = 0; document.title = String(count);') },
          },
        ],
      },
      { text: 'Defined count.' },
    ]);
    const started = await api(user, 'POST', `/api/sessions/${session.id}/messages`, {
      text: 'Build a counter page',
      model,
      mode: 'build',
    });
    expect(started.status).toBe(202);
    // As the IDE would: open the preview once the dev server is up.
    await until(
      'the dev server',
      () => eventsOf(session.id, 'server_started'),
      (events) => events.length > 0,
    );
    const preview = await api<PreviewBody>(user, 'GET', `/api/projects/${project.id}/preview`);
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(preview.body.url);

    // Two verifications, each waiting for the preview's reports: longer than waitForIdle allows.
    let state = await sessionState(user, session.id);
    for (const deadline = Date.now() + 90_000; state.running && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await sessionState(user, session.id);
    }
    await context.close();
    expect(state.state).toBe('COMPLETE');
    const errors = await eventsOf(session.id, 'preview_error');
    expect(
      errors.some((e) => e.type === 'preview_error' && /count is not defined/.test(e.data.message)),
    ).toBe(true);
    const rounds = (await eventsOf(session.id, 'error')).filter(
      (e) => e.type === 'error' && e.data.kind === 'verification',
    );
    expect(rounds).toHaveLength(1);
    expect(rounds[0]?.type === 'error' && rounds[0].data.message).toContain('count is not defined');
    expect(await eventsOf(session.id, 'generation_complete')).toHaveLength(1);
  }, 120_000);
});
