import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PortAllocator } from '@aura/engine';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DeviceCodeInfo, DeviceLoginError, deviceLogin } from '../../cli/src/remote/device-login.ts';
import { api, startTestServer, type TestServer } from '../../server/test/helpers.ts';

/**
 * Device login end to end: the terminal client's deviceLogin against a real server, and a
 * person approving (and denying) it on the IDE's /device page in Debian's Chromium. Screenshots
 * go to test-results/screenshots/device-*.png.
 */

const CHROMIUM = process.env.AURA_CHROMIUM ?? '/usr/bin/chromium';
const chromiumAvailable = existsSync(CHROMIUM);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const screenshotDir = join(repo, 'test-results', 'screenshots');

interface ConsoleProblem {
  text: string;
  url: string;
}

/** A login started the way `aura auth login --device` starts it; `codes` settles with what it shows. */
function startDeviceLogin(server: TestServer, clientName: string) {
  let shown: (info: DeviceCodeInfo) => void = () => {};
  const codes = new Promise<DeviceCodeInfo>((resolve) => {
    shown = resolve;
  });
  const token = deviceLogin(server.url, { clientName, onCode: shown });
  // Observed by the test later; never an unhandled rejection meanwhile.
  token.catch(() => {});
  return { codes, token };
}

describe.runIf(chromiumAvailable)(
  chromiumAvailable
    ? 'device login in Chromium'
    : `device login in Chromium (skipped: no Chromium at ${CHROMIUM}; set AURA_CHROMIUM)`,
  () => {
    let server: TestServer;
    let webDir: string;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let ide: string;
    const email = `devi-${Date.now()}@example.test`;
    const problems: ConsoleProblem[] = [];

    const shot = (name: string) => page.screenshot({ path: join(screenshotDir, `device-${name}.png`) });

    beforeAll(async () => {
      const built = spawnSync(process.execPath, [join(repo, 'scripts', 'build-web.ts')], {
        cwd: repo,
        encoding: 'utf8',
      });
      expect(built.status, `${built.stdout}\n${built.stderr}`).toBe(0);
      // A private copy: another build of packages/web/dist would replace the lazy chunks mid-test.
      webDir = await mkdtemp(join(tmpdir(), 'aura-web-device-'));
      await cp(join(repo, 'packages', 'web', 'dist'), webDir, { recursive: true });
      await mkdir(screenshotDir, { recursive: true });
      const port = await new PortAllocator().allocate();
      ide = `http://aura.localhost:${port}`;
      server = await startTestServer('sqlite', { overrides: { port, baseUrl: ide, webDir } });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(30_000);
      page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push({ text: message.text(), url: message.location().url });
      });
      page.on('pageerror', (error) => problems.push({ text: String(error.stack), url: '' }));
    }, 180_000);

    beforeEach(({ onTestFailed }) => {
      onTestFailed(async ({ task }) => {
        if (!page || page.isClosed()) return;
        await shot(`failed-${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => undefined);
      });
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (webDir) await rm(webDir, { recursive: true, force: true });
    });

    it('approves a terminal from the link it prints, signing up on the way, and the terminal gets a token', async () => {
      const login = startDeviceLogin(server, 'build-box');
      const codes = await login.codes;
      expect(codes.verificationUri).toBe(`${ide}/device`);

      // Not signed in yet: the page sends the person to sign in, and brings them back.
      await page.goto(codes.verificationUriComplete ?? '');
      await page.getByRole('heading', { name: 'Sign in to Aura' }).waitFor();
      await page.getByRole('link', { name: 'Create an account' }).click();
      await page.getByLabel('Name').fill('Devi Terminal');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('a long enough password');
      await page.getByRole('button', { name: 'Create account' }).click();

      await page.getByRole('heading', { name: 'Sign in a terminal' }).waitFor();
      const url = new URL(page.url());
      expect(url.pathname).toBe('/device');
      expect(url.searchParams.get('code')).toBe(codes.userCode);
      const details = page.getByRole('definition');
      await expect.poll(() => details.allTextContents()).toEqual([codes.userCode, 'build-box', 'just now']);
      await page.getByText(`build-box is asking to sign in to Aura as ${email}.`).waitFor();
      await shot('01-confirm');

      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByRole('status').getByText('Your terminal is signed in.').waitFor();
      await shot('02-approved');

      const token = await login.token;
      const me = await api<{ email: string; via: string }>({ server, token }, 'GET', '/api/me');
      expect(me.body).toMatchObject({ email, via: 'token' });

      // The new token is listed where the page says it can be revoked.
      await page.getByRole('link', { name: 'Manage API tokens' }).click();
      await page.getByRole('heading', { name: 'API tokens' }).waitFor();
      await page.getByText(/^aura CLI \(build-box\) — \d{4}-\d{2}-\d{2}$/).waitFor();
    }, 90_000);

    it('takes a typed code from Settings → API tokens, and a denial reaches the terminal', async () => {
      const login = startDeviceLogin(server, 'shared-server');
      const codes = await login.codes;

      await page.getByRole('link', { name: 'Enter its code' }).click();
      await page.getByRole('heading', { name: 'Sign in a terminal' }).waitFor();
      const field = page.getByLabel('Code from your terminal');
      await field.fill('AEIO');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByText('A code is 8 letters, like BCDF-GHJK.', { exact: false }).waitFor();

      // Typed the way people type what they read: lower case, no dash.
      await field.fill(codes.userCode.toLowerCase().replace('-', ''));
      await shot('03-typed');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByText(`shared-server is asking to sign in to Aura as ${email}.`).waitFor();
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.getByRole('status').getByText('Sign-in denied.').waitFor();
      await shot('04-denied');

      const error = await login.token.then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(DeviceLoginError);
      expect((error as DeviceLoginError).code).toBe('denied');
    }, 60_000);

    it('says so when a code is unknown or already used', async () => {
      await page.goto(`${ide}/device?code=BCDF-GHJK`);
      await page
        .getByRole('alert')
        .getByText(/No pending sign-in has this code/)
        .waitFor();
      await shot('05-unknown');
      await page.getByRole('link', { name: 'Enter another code' }).click();
      await page.getByLabel('Code from your terminal').waitFor();
    }, 30_000);

    it('logged no console errors besides the 404 of the unknown code', () => {
      const unexpected = problems.filter(
        (problem) =>
          !(
            problem.text.startsWith('Failed to load resource: the server responded with a status of 404') &&
            new URL(problem.url).pathname === '/api/device/lookup'
          ),
      );
      expect(unexpected).toEqual([]);
    });
  },
);
