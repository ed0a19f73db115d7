import type { Browser } from 'playwright-core';

export interface LazyBrowserOptions {
  launch(): Promise<Browser>;
  /** Closed after this long unused. */
  idleMs: number;
  onClosed?(reason: 'idle' | 'close' | 'crash'): void;
}

/**
 * One browser, launched on first use and shared by later ones, closed after `idleMs` without
 * use (Chromium costs memory even when idle) and relaunched when it crashed.
 */
export class LazyBrowser {
  readonly #options: LazyBrowserOptions;
  #browser: Promise<Browser> | undefined;
  #users = 0;
  #idleTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: LazyBrowserOptions) {
    this.#options = options;
  }

  /** Whether a browser is launched or launching (for tests and diagnostics). */
  get running(): boolean {
    return this.#browser !== undefined;
  }

  async use<T>(task: (browser: Browser) => Promise<T>): Promise<T> {
    if (this.#closed) throw new Error('The thumbnail browser is closed.');
    clearTimeout(this.#idleTimer);
    this.#users++;
    try {
      return await task(await this.#get());
    } finally {
      this.#users--;
      if (this.#users === 0 && !this.#closed) {
        this.#idleTimer = setTimeout(() => void this.#shut('idle'), this.#options.idleMs);
        this.#idleTimer.unref();
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#shut('close');
  }

  #get(): Promise<Browser> {
    if (!this.#browser) {
      const launching = this.#options.launch().then((browser) => {
        browser.once('disconnected', () => {
          if (this.#browser !== launching) return;
          this.#browser = undefined;
          this.#options.onClosed?.('crash');
        });
        return browser;
      });
      // A failed launch is not kept: the next use tries again.
      launching.catch(() => {
        if (this.#browser === launching) this.#browser = undefined;
      });
      this.#browser = launching;
    }
    return this.#browser;
  }

  async #shut(reason: 'idle' | 'close'): Promise<void> {
    clearTimeout(this.#idleTimer);
    const current = this.#browser;
    if (!current) return;
    this.#browser = undefined;
    try {
      const browser = await current;
      await browser.close();
    } catch {
      // It failed to launch or is already gone: nothing left to close.
      return;
    }
    this.#options.onClosed?.(reason);
  }
}
