import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumArgs, DEFAULT_CHROMIUM, findChromium, needsNoSandbox } from '../src/preview/chromium.ts';
import { LazyBrowser } from '../src/preview/lazy-browser.ts';
import { connectableHost, selfHostRules, selfLink } from '../src/preview/thumbnail-address.ts';
import { ThumbnailQueue } from '../src/preview/thumbnail-queue.ts';
import { allowedRequest } from '../src/preview/thumbnail-requests.ts';
import { scrubbed } from '../src/preview/thumbnailer.ts';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('ThumbnailQueue', () => {
  function queue(intervalMs = 60_000) {
    let now = 1_000;
    const started: string[] = [];
    const pending = new Map<string, ReturnType<typeof deferred>>();
    const q = new ThumbnailQueue<string>({
      intervalMs,
      now: () => now,
      run: (key, job) => {
        started.push(`${key}:${job}`);
        const d = deferred();
        pending.set(key, d);
        return d.promise;
      },
    });
    return {
      q,
      started,
      finish: async (key: string, error?: Error) => {
        const d = pending.get(key)!;
        if (error) d.reject(error);
        else d.resolve();
        await sleep(0);
      },
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it('runs one job at a time, in order', async () => {
    const { q, started, finish } = queue();
    expect(q.request('a', '1')).toBe(true);
    expect(q.request('b', '1')).toBe(true);
    expect(started).toEqual(['a:1']);
    await finish('a');
    expect(started).toEqual(['a:1', 'b:1']);
    await finish('b');
    await q.idle();
  });

  it('drops a key that is waiting or running, and one that ran less than the interval ago', async () => {
    const { q, started, finish, advance } = queue(60_000);
    q.request('a', '1');
    q.request('b', '1');
    expect(q.request('a', '2')).toBe(false);
    expect(q.request('b', '2')).toBe(false);
    await finish('a');
    await finish('b');
    advance(59_999);
    expect(q.request('a', '3')).toBe(false);
    advance(1);
    expect(q.request('a', '4')).toBe(true);
    await finish('a');
    expect(started).toEqual(['a:1', 'b:1', 'a:4']);
  });

  it('counts a failed job as run and goes on with the next', async () => {
    const { q, started, finish } = queue();
    q.request('a', '1');
    q.request('b', '1');
    await finish('a', new Error('chromium fell over'));
    expect(started).toEqual(['a:1', 'b:1']);
    await finish('b');
    expect(q.request('a', '2')).toBe(false);
  });

  it('close drops waiting jobs, waits for the running one and refuses new ones', async () => {
    const { q, started, finish } = queue();
    q.request('a', '1');
    q.request('b', '1');
    let closed = false;
    const closing = q.close().then(() => {
      closed = true;
    });
    await sleep(0);
    expect(closed).toBe(false);
    await finish('a');
    await closing;
    expect(started).toEqual(['a:1']);
    expect(q.request('c', '1')).toBe(false);
  });
});

describe('what the thumbnail browser may request', () => {
  const scope = {
    origin: 'http://p-prj-1.aura.localhost:3000',
    refusedDomains: ['aura.localhost'],
  };

  it('allows its own origin and public sites', () => {
    expect(allowedRequest('http://p-prj-1.aura.localhost:3000/src/main.tsx', scope)).toBe(true);
    expect(allowedRequest('https://cdn.tailwindcss.com/', scope)).toBe(true);
    expect(allowedRequest('https://fonts.gstatic.com/s/inter.woff2', scope)).toBe(true);
    expect(allowedRequest('http://8.8.8.8/', scope)).toBe(true);
    expect(allowedRequest('data:image/png;base64,AAAA', scope)).toBe(true);
  });

  it('refuses loopback, private and link-local addresses in every spelling', () => {
    for (const url of [
      'http://127.0.0.1:5432/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://10.0.0.8/',
      'http://172.20.1.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://0.0.0.0:3000/',
    ]) {
      expect(allowedRequest(url, scope), url).toBe(false);
    }
  });

  it('refuses localhost names, the IDE, other previews and other schemes', () => {
    expect(allowedRequest('http://localhost:3000/', scope)).toBe(false);
    expect(allowedRequest('http://db.localhost/', scope)).toBe(false);
    expect(allowedRequest('http://aura.localhost:3000/api/projects', scope)).toBe(false);
    expect(allowedRequest('http://p-prj-2.aura.localhost:3000/', scope)).toBe(false);
    expect(allowedRequest('file:///etc/passwd', scope)).toBe(false);
    expect(allowedRequest('not a url', scope)).toBe(false);
  });
});

describe('how the server reaches its own previews', () => {
  const self = { host: '0.0.0.0', port: 3100 };

  it('over HTTP: the listen port, the preview host mapped to the listen address', () => {
    expect(selfLink('http://p-prj-1.aura.test:80/?aura_preview_token=t', self)).toBe(
      'http://p-prj-1.aura.test:3100/?aura_preview_token=t',
    );
    expect(selfHostRules('http://aura.test', 'aura.test', self)).toBe('MAP p-*.aura.test 127.0.0.1');
    expect(selfHostRules('http://aura.test', 'aura.test', { host: '::1', port: 1 })).toBe(
      'MAP p-*.aura.test [::1]',
    );
    expect(connectableHost('::')).toBe('127.0.0.1');
    expect(connectableHost('10.1.2.3')).toBe('10.1.2.3');
  });

  it('over HTTPS: the public link as it is', () => {
    const link = 'https://p-prj-1.preview.example.net/?aura_preview_token=t';
    expect(selfLink(link, self)).toBe(link);
    expect(selfHostRules('https://aura.example.net', 'preview.example.net', self)).toBeUndefined();
  });
});

describe('the thumbnail Chromium', () => {
  it('is AURA_CHROMIUM when set, else the default when it exists, else none', () => {
    expect(findChromium('/opt/chrome', () => true)).toEqual({ path: '/opt/chrome' });
    expect(findChromium('/opt/chrome', () => false).path).toBeUndefined();
    expect(findChromium(undefined, (p) => p === DEFAULT_CHROMIUM)).toEqual({ path: DEFAULT_CHROMIUM });
    expect(findChromium(undefined, () => false)).toMatchObject({ path: undefined, reason: /AURA_CHROMIUM/ });
  });

  it('runs without its sandbox only as root, and maps hosts only when asked', () => {
    expect(needsNoSandbox(0)).toBe(true);
    expect(needsNoSandbox(1000)).toBe(false);
    expect(chromiumArgs()).not.toContainEqual(expect.stringContaining('host-resolver'));
    expect(chromiumArgs({ hostRules: 'MAP p-*.x 127.0.0.1' })).toContain(
      '--host-resolver-rules=MAP p-*.x 127.0.0.1',
    );
  });

  it('logs errors without the preview token', () => {
    const error = new Error(
      'page.goto: net::ERR_NAME_NOT_RESOLVED at http://p-prj-1.x:1/?aura_preview_token=abc.def&b=1\nCall log: …',
    );
    expect(scrubbed(error)).toBe(
      'page.goto: net::ERR_NAME_NOT_RESOLVED at http://p-prj-1.x:1/?aura_preview_token=[redacted]&b=1',
    );
  });
});

describe('LazyBrowser', () => {
  /** Enough of a Browser for LazyBrowser: `once('disconnected')` and `close()`. */
  function fakeBrowser() {
    const events = new EventEmitter();
    const fake = {
      closed: false,
      once: (event: string, listener: () => void) => events.once(event, listener),
      close: async () => {
        fake.closed = true;
        events.emit('disconnected');
      },
      crash: () => events.emit('disconnected'),
    };
    return fake;
  }

  it('launches once for many uses, closes when idle, relaunches after a crash', async () => {
    const launched: ReturnType<typeof fakeBrowser>[] = [];
    const closes: string[] = [];
    const lazy = new LazyBrowser({
      idleMs: 30,
      launch: async () => {
        const browser = fakeBrowser();
        launched.push(browser);
        return browser as unknown as Browser;
      },
      onClosed: (reason) => closes.push(reason),
    });
    expect(lazy.running).toBe(false);
    await Promise.all([lazy.use(async () => 1), lazy.use(async () => 2)]);
    expect(launched).toHaveLength(1);
    await lazy.use(async () => sleep(40));
    expect(launched[0]!.closed).toBe(false);
    await sleep(60);
    expect(launched[0]!.closed).toBe(true);
    expect(closes).toEqual(['idle']);

    await lazy.use(async () => undefined);
    expect(launched).toHaveLength(2);
    launched[1]!.crash();
    expect(closes).toEqual(['idle', 'crash']);
    await lazy.use(async () => undefined);
    expect(launched).toHaveLength(3);

    await lazy.close();
    expect(launched[2]!.closed).toBe(true);
    expect(closes).toEqual(['idle', 'crash', 'close']);
    await expect(lazy.use(async () => undefined)).rejects.toThrow(/closed/);
  });

  it('forgets a launch that failed', async () => {
    let attempts = 0;
    const lazy = new LazyBrowser({
      idleMs: 1_000,
      launch: async () => {
        attempts++;
        if (attempts === 1) throw new Error('no display');
        return fakeBrowser() as unknown as Browser;
      },
    });
    await expect(lazy.use(async () => undefined)).rejects.toThrow('no display');
    await lazy.use(async () => undefined);
    expect(attempts).toBe(2);
    await lazy.close();
  });
});
