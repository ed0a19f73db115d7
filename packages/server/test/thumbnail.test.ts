import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventEnvelope } from '@aura/protocol';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../src/preview/chromium.ts';
import { MAX_THUMBNAIL_CHARS } from '../src/preview/thumbnailer.ts';
import {
  api,
  createProject,
  createSession,
  eventLog,
  type ProjectBody,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  until,
} from './helpers.ts';
import { type PreviewBody, putFile } from './preview-fixture.ts';

/**
 * Dashboard thumbnails end to end: a real server with thumbnails on photographs a project's
 * preview in headless Chromium once its dev server is ready.
 */

const found = findChromium(process.env.AURA_CHROMIUM);
const BACKGROUND = { r: 0xe1, g: 0x1d, b: 0x48 };

/**
 * A dev server with one page: a big coloured background, a heading, and a script that makes a
 * request the thumbnail browser must allow (its own origin), one it must refuse (a service on the
 * server's loopback: `canary`), and logs a console error the reporter would forward.
 */
const colourServer = (canary: string) => `
import http from 'node:http';
const port = Number(process.env.PORT);
const page = '<!doctype html><html><head><title>colour</title></head>' +
  '<body style="margin:0;min-height:100vh;background:#e11d48">' +
  '<h1 style="margin:0;padding:64px;color:#fff;font:bold 120px sans-serif">Aura</h1>' +
  '<script>fetch("/seen"); fetch("${canary}/internal").catch(function () {});' +
  ' console.error("an error only a real browser should report");</script>' +
  '</body></html>';
http.createServer((req, res) => {
  console.log('hit ' + req.url);
  res.writeHead(200, { 'content-type': req.url === '/' ? 'text/html' : 'text/plain' });
  res.end(req.url === '/' ? page : 'ok');
}).listen(port, '127.0.0.1', () => console.log('colour server on ' + port));
`;

/** Width and height from a JPEG's start-of-frame segment (baseline SOF0 or progressive SOF2). */
function jpegSize(jpeg: Buffer): { width: number; height: number } {
  if (jpeg.readUInt16BE(0) !== 0xffd8) throw new Error('not a JPEG (no SOI marker)');
  let at = 2;
  while (at + 4 <= jpeg.length) {
    if (jpeg[at] !== 0xff) throw new Error(`no marker at byte ${at}`);
    const marker = jpeg[at + 1]!;
    const length = jpeg.readUInt16BE(at + 2);
    if (marker === 0xc0 || marker === 0xc2) {
      return { height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  throw new Error('no SOF marker');
}

/** The colour of one pixel of an image, decoded by Chromium (page code as text: no DOM types here). */
async function pixel(browser: Browser, src: string, x: number, y: number) {
  const page = await browser.newPage();
  try {
    return await page.evaluate<{ r: number; g: number; b: number }>(`(async () => {
      const image = new Image();
      image.src = ${JSON.stringify(src)};
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const [r, g, b] = context.getImageData(${x}, ${y}, 1, 1).data;
      return { r, g, b };
    })()`);
  } finally {
    await page.close();
  }
}

describe.runIf(found.path)(`preview thumbnails (need Chromium: ${found.path ?? found.reason})`, () => {
  const thumbnails = { enabled: true, chromium: found.path, settleMs: 300 };
  let server: TestServer;
  let user: TestUser;
  let browser: Browser;
  /** A service on the server's loopback that previews must not reach, and what it was asked for. */
  let canary: Server;
  let canaryUrl: string;
  const canaryHits: string[] = [];

  beforeAll(async () => {
    canary = createServer((req, res) => {
      canaryHits.push(req.url ?? '');
      res.writeHead(200, { 'access-control-allow-origin': '*' }).end('secret');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
    server = await startTestServer('sqlite', { overrides: { thumbnails } });
    user = await signUp(server, 'thumbs');
    browser = await chromium.launch({ executablePath: found.path!, args: ['--no-sandbox', '--disable-gpu'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    canary?.close();
  });

  /** A project running the colour app, a session, and the thumbnail once one is stored. */
  async function shoot(owner: TestUser) {
    const project = await createProject(owner, 'Colourful');
    expect(project.thumbnail).toBeNull();
    const session = await createSession(owner, project.id);
    await putFile(owner, project.id, 'server.mjs', colourServer(canaryUrl));
    await putFile(owner, project.id, 'aura.json', JSON.stringify({ dev: 'node server.mjs' }));
    const started = await api<PreviewBody>(owner, 'POST', `/api/projects/${project.id}/preview`);
    expect(started.body.status).toBe('running');
    const shot = await until(
      'the project thumbnail',
      async () => (await api<ProjectBody>(owner, 'GET', `/api/projects/${project.id}`)).body,
      (p) => p.thumbnail !== null,
      30_000,
    );
    return { project, session, thumbnail: shot.thumbnail! };
  }

  /** A 320×200 JPEG data URL of the colour app: not blank, nor the proxy's own error pages. */
  async function expectColourApp(thumbnail: string) {
    expect(thumbnail.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(thumbnail.length).toBeLessThan(MAX_THUMBNAIL_CHARS / 5);
    const jpeg = Buffer.from(thumbnail.slice(thumbnail.indexOf(',') + 1), 'base64');
    expect(jpegSize(jpeg)).toEqual({ width: 320, height: 200 });
    const { r, g, b } = await pixel(browser, thumbnail, 300, 180);
    expect(Math.abs(r - BACKGROUND.r) + Math.abs(g - BACKGROUND.g) + Math.abs(b - BACKGROUND.b)).toBeLessThan(
      40,
    );
  }

  it('stores a small JPEG of the running preview as the project thumbnail, quietly', async () => {
    const { project, session, thumbnail } = await shoot(user);
    await expectColourApp(thumbnail);
    // The page's script ran: its own origin answered, the service on loopback was never reached.
    const read = await api<PreviewBody>(user, 'GET', `/api/projects/${project.id}/preview`);
    expect(read.body.logs).toContain('hit /seen');
    expect(canaryHits).toEqual([]);
    // Nothing new on the session: the reporter was not loaded in the thumbnail browser.
    const types = (await eventLog(server, session.id)).map((e: EventEnvelope) => e.type);
    expect(types).toEqual(['server_started']);
  }, 60_000);

  it('reaches its own previews when their domain does not resolve and the public port is another', async () => {
    // As behind a proxy: the IDE's public address names a host and port this machine cannot reach.
    const behind = await startTestServer('sqlite', {
      overrides: { thumbnails, baseUrl: 'http://aura.invalid:9' },
    });
    try {
      const { thumbnail } = await shoot(await signUp(behind, 'behind'));
      await expectColourApp(thumbnail);
    } finally {
      await behind.close();
    }
  }, 60_000);
});
