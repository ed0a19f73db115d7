import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '@aura/engine';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { previewDomain, type ServerOptions } from '../config.ts';
import type { Logger } from '../logger.ts';
import { chromiumArgs, findChromium, needsNoSandbox } from './chromium.ts';
import { TOKEN_PARAM } from './cookies.ts';
import { LazyBrowser } from './lazy-browser.ts';
import { REPORTER_PATH } from './reporter.ts';
import { type SelfAddress, selfHostRules, selfLink } from './thumbnail-address.ts';
import { ThumbnailQueue } from './thumbnail-queue.ts';
import { allowedRequest, type RequestScope } from './thumbnail-requests.ts';

/** A running preview to photograph. */
export interface ThumbnailTarget {
  projectId: string;
  /** A fresh link to the preview (with a new token when it is private); undefined once it stopped. */
  link(): string | undefined;
}

/** What the preview service needs from a thumbnailer. */
export interface Thumbnails {
  /** Asks for a shot of a preview that just became ready; never throws, may ignore the ask. */
  request(target: ThumbnailTarget): void;
  close(): Promise<void>;
}

export interface PreviewThumbnailerOptions {
  store: Pick<Store, 'updateProject'>;
  logger: Logger;
  chromium: string;
  /** The IDE's base URL, the preview domain and the server's listen address: see thumbnail-address.ts. */
  baseUrl: string;
  domain: string;
  self: SelfAddress;
  /** After `load`, before the shot: let client-side rendering and web fonts finish. */
  settleMs: number;
  /** At most one shot per project this often. */
  intervalMs: number;
  /** One shot, browser launch included. */
  timeoutMs?: number;
  /** The browser is closed after this long without a shot. */
  idleMs?: number;
}

/** 1280×800 CSS pixels rendered at a quarter of the scale: a 320×200 image. */
const VIEWPORT = { width: 1280, height: 800 };
const SCALE = 0.25;
const JPEG_QUALITY = 60;
const DATA_URL_PREFIX = 'data:image/jpeg;base64,';
/** The project route's limit on `thumbnail` (a 320×200 JPEG is some 10–40 KB). */
export const MAX_THUMBNAIL_CHARS = 500_000;

/**
 * Dashboard thumbnails: when a project's dev server becomes ready, a screenshot of its preview in
 * headless Chromium, stored as the project's `thumbnail` (a JPEG data URL). One shot at a time,
 * at most one per project per `intervalMs`; failures are logged, never shown to users.
 */
export class PreviewThumbnailer implements Thumbnails {
  readonly #options: PreviewThumbnailerOptions;
  readonly #queue: ThumbnailQueue<ThumbnailTarget>;
  readonly #browser: LazyBrowser;
  readonly #timeoutMs: number;
  #closing = false;

  constructor(options: PreviewThumbnailerOptions) {
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#queue = new ThumbnailQueue({
      intervalMs: options.intervalMs,
      run: (_projectId, target) => this.#take(target),
    });
    const { logger } = options;
    this.#browser = new LazyBrowser({
      idleMs: options.idleMs ?? 60_000,
      launch: () => this.#launch(),
      onClosed: (reason) => logger.debug({ reason }, 'thumbnail browser closed'),
    });
  }

  request(target: ThumbnailTarget): void {
    this.#queue.request(target.projectId, target);
  }

  /** Drops waiting shots and ends the one in progress by closing the browser under it. */
  async close(): Promise<void> {
    this.#closing = true;
    const drained = this.#queue.close();
    await this.#browser.close();
    await drained;
  }

  #launch(): Promise<Browser> {
    const { baseUrl, domain, self } = this.#options;
    return chromium.launch({
      executablePath: this.#options.chromium,
      headless: true,
      chromiumSandbox: !needsNoSandbox(),
      args: chromiumArgs({ hostRules: selfHostRules(baseUrl, domain, self) }),
      timeout: this.#timeoutMs,
      // The server's own signals shut it down (PreviewService.close).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  }

  async #take(target: ThumbnailTarget): Promise<void> {
    const { logger, store } = this.#options;
    const { projectId } = target;
    const started = Date.now();
    try {
      const link = target.link();
      if (link === undefined) return;
      const thumbnail = await this.#browser.use((browser) =>
        this.#capture(browser, selfLink(link, this.#options.self), started + this.#timeoutMs),
      );
      if (thumbnail.length > MAX_THUMBNAIL_CHARS) {
        logger.warn({ projectId, chars: thumbnail.length }, 'preview thumbnail too large; not stored');
        return;
      }
      await store.updateProject(projectId, { thumbnail });
      logger.debug(
        { projectId, chars: thumbnail.length, ms: Date.now() - started },
        'preview thumbnail stored',
      );
    } catch (error) {
      if (this.#closing) return;
      logger.info(
        { projectId, reason: scrubbed(error), ms: Date.now() - started },
        'preview thumbnail failed',
      );
    }
  }

  async #capture(browser: Browser, url: string, deadline: number): Promise<string> {
    const remaining = () => {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out');
      return left;
    };
    const context = await browser.newContext({
      viewport: VIEWPORT,
      deviceScaleFactor: SCALE,
      serviceWorkers: 'block',
      acceptDownloads: false,
    });
    try {
      context.setDefaultTimeout(remaining());
      await this.#confine(context, new URL(url).origin);
      const page = await context.newPage();
      const response = await page.goto(url, { waitUntil: 'load', timeout: remaining() });
      // A gate page (401, 503) or an app error page is no picture of the app.
      if (!response?.ok()) throw new Error(`the preview answered ${response?.status() ?? 'nothing'}`);
      await sleep(Math.min(this.#options.settleMs, remaining()));
      const jpeg = await page.screenshot({ type: 'jpeg', quality: JPEG_QUALITY, timeout: remaining() });
      return `${DATA_URL_PREFIX}${jpeg.toString('base64')}`;
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  /**
   * No error reports from this browser (they would reach the user's session as `preview_error`),
   * no WebSockets (HMR is not needed for a picture; they stay open to nothing), and only the
   * requests thumbnail-requests.ts allows.
   */
  async #confine(context: BrowserContext, origin: string): Promise<void> {
    const scope: RequestScope = {
      origin,
      refusedDomains: [this.#options.domain, new URL(this.#options.baseUrl).hostname],
    };
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (!allowedRequest(url, scope)) return route.abort('blockedbyclient');
      if (new URL(url).pathname === REPORTER_PATH && url.startsWith(origin)) {
        return route.fulfill({ status: 200, contentType: 'text/javascript', body: '' });
      }
      return route.continue();
    });
    await context.routeWebSocket(/./, () => undefined);
  }
}

/** An error's message without the preview token (Playwright puts the URL in its messages). */
export function scrubbed(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(new RegExp(`${TOKEN_PARAM}=[^&\\s"']*`, 'g'), `${TOKEN_PARAM}=[redacted]`)
    .split('\n', 1)[0]!
    .slice(0, 300);
}

/** The thumbnailer the options ask for, or undefined (logged once) when they are off. */
export function thumbnailerFor(
  options: ServerOptions,
  deps: { store: Pick<Store, 'updateProject'>; logger: Logger; self: SelfAddress },
): PreviewThumbnailer | undefined {
  const { thumbnails } = options;
  if (!thumbnails.enabled) {
    deps.logger.info('preview thumbnails are off (AURA_THUMBNAILS=0)');
    return undefined;
  }
  const found = findChromium(thumbnails.chromium);
  if (found.path === undefined) {
    deps.logger.info({ reason: found.reason }, 'preview thumbnails are off: no Chromium');
    return undefined;
  }
  return new PreviewThumbnailer({
    ...deps,
    chromium: found.path,
    baseUrl: options.baseUrl,
    domain: previewDomain(options),
    settleMs: thumbnails.settleMs,
    intervalMs: thumbnails.intervalMs,
  });
}
