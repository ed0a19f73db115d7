import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isAuraCookie, previewCookie, readCookie, stripAuraCookies } from '../src/preview/cookies.ts';
import { parseErrorReport, RepeatFilter } from '../src/preview/errors.ts';
import { sameHost } from '../src/preview/gate.ts';
import { previewHostOf, previewLabel, previewOrigin } from '../src/preview/host.ts';
import { injectReporter, reporterTag } from '../src/preview/inject.ts';
import { PreviewTokens } from '../src/preview/token.ts';

describe('preview hosts', () => {
  it('maps project ids to DNS labels and back', () => {
    expect(previewLabel('prj_0mc4x2k9a000f3b19c07e2')).toBe('p-prj-0mc4x2k9a000f3b19c07e2');
    expect(previewLabel('Not An Id')).toBeUndefined();
    expect(previewOrigin('http://localhost:3000', 'localhost', 'prj_abc1')).toBe(
      'http://p-prj-abc1.localhost:3000',
    );
    expect(previewOrigin('https://aura.example.com', 'preview.example.net', 'prj_abc1')).toBe(
      'https://p-prj-abc1.preview.example.net',
    );
    expect(previewHostOf('p-prj-abc1.localhost:3000', 'localhost')).toEqual({ projectId: 'prj_abc1' });
    expect(previewHostOf('P-PRJ-ABC1.LOCALHOST.', 'localhost')).toEqual({ projectId: 'prj_abc1' });
  });

  it('leaves the IDE host alone and refuses p- hosts that name no project', () => {
    expect(previewHostOf('localhost:3000', 'localhost')).toBeUndefined();
    expect(previewHostOf('127.0.0.1:3000', 'localhost')).toBeUndefined();
    expect(previewHostOf('[::1]:3000', 'localhost')).toBeUndefined();
    expect(previewHostOf('app.localhost:3000', 'localhost')).toBeUndefined();
    expect(previewHostOf('p-prj-abc1.evil.test', 'localhost')).toBeUndefined();
    expect(previewHostOf(undefined, 'localhost')).toBeUndefined();
    expect(previewHostOf('p-nonsense.localhost', 'localhost')).toEqual({ projectId: undefined });
    expect(previewHostOf('p-prj-abc1.x.localhost', 'localhost')).toEqual({ projectId: undefined });
  });

  it('compares an Origin with the Host header', () => {
    expect(sameHost('http://p-prj-a.localhost:3000', 'p-prj-a.localhost:3000')).toBe(true);
    expect(sameHost('http://p-prj-a.localhost:3000', 'P-PRJ-A.localhost:3000')).toBe(true);
    expect(sameHost('http://p-prj-b.localhost:3000', 'p-prj-a.localhost:3000')).toBe(false);
    expect(sameHost('http://p-prj-a.localhost:3001', 'p-prj-a.localhost:3000')).toBe(false);
    expect(sameHost('null', 'p-prj-a.localhost:3000')).toBe(false);
    expect(sameHost('http://p-prj-a.localhost', undefined)).toBe(false);
  });
});

describe('preview tokens', () => {
  const key = randomBytes(32);

  it('round-trips, and binds kind, project and user', () => {
    const tokens = new PreviewTokens(key);
    const { token, expiresAt } = tokens.issue('url', 'prj_a', 'user-1');
    const verified = tokens.verify(token, 'url');
    expect(verified).toEqual({
      ok: true,
      grant: { kind: 'url', projectId: 'prj_a', userId: 'user-1', expiresAt },
    });
    expect(tokens.verify(token, 'cookie')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('expires', () => {
    let now = 1_000_000;
    const tokens = new PreviewTokens(key, { now: () => now, urlTtlMs: 600_000 });
    const { token } = tokens.issue('url', 'prj_a', 'u');
    now += 599_999;
    expect(tokens.verify(token, 'url').ok).toBe(true);
    now += 1;
    expect(tokens.verify(token, 'url')).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses tampering, other keys and junk', () => {
    const tokens = new PreviewTokens(key);
    const { token } = tokens.issue('cookie', 'prj_a', 'u');
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ k: 'cookie', p: 'prj_b', u: 'u', e: Date.now() + 1e9 }),
    ).toString('base64url');
    expect(tokens.verify(`${forged}.${mac}`, 'cookie').ok).toBe(false);
    expect(tokens.verify(`${payload}.${mac.slice(0, -2)}`, 'cookie').ok).toBe(false);
    expect(new PreviewTokens(randomBytes(32)).verify(token, 'cookie').ok).toBe(false);
    for (const junk of ['', '.', 'a.b.c', 'x'.repeat(5000), `${payload}`]) {
      expect(tokens.verify(junk, 'cookie')).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(() => new PreviewTokens(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('preview cookies', () => {
  it("strips Aura's cookies and keeps the app's", () => {
    expect(
      stripAuraCookies(
        'aura.session_token=abc; theme=dark; aura_preview=t; __Secure-aura.session_data=x; aurora=1',
      ),
    ).toBe('theme=dark; aurora=1');
    expect(stripAuraCookies('aura.session_token=abc')).toBeUndefined();
    expect(stripAuraCookies(undefined)).toBeUndefined();
    expect(isAuraCookie('__Host-aura.x')).toBe(true);
    expect(isAuraCookie('my_aura.x')).toBe(false);
    expect(readCookie('a=1; aura_preview=tok.en=; b=2', 'aura_preview')).toBe('tok.en=');
  });

  it('sets a host-only HttpOnly Lax cookie', () => {
    expect(previewCookie('t', 3_600_000, false)).toBe(
      'aura_preview=t; Path=/; HttpOnly; Max-Age=3600; SameSite=Lax',
    );
    // Over HTTPS it must also work in the IDE's iframe from another site: partitioned, not Lax.
    expect(previewCookie('t', 1000, true)).toMatch(/; SameSite=None; Secure; Partitioned$/);
  });
});

describe('reporter injection', () => {
  it('goes as early in the page as it can', () => {
    expect(injectReporter('<html><head lang="x"><title>t</title></head></html>')).toBe(
      `<html><head lang="x">${reporterTag}<title>t</title></head></html>`,
    );
    expect(injectReporter('<!doctype html><html><body>x</body></html>')).toBe(
      `<!doctype html><html>${reporterTag}<body>x</body></html>`,
    );
    expect(injectReporter('<!DOCTYPE html><p>bare</p>')).toBe(`<!DOCTYPE html>${reporterTag}<p>bare</p>`);
    expect(injectReporter('<header>not a head</header>')).toBe(`${reporterTag}<header>not a head</header>`);
  });
});

describe('error reports', () => {
  it('validates and caps them', () => {
    expect(parseErrorReport({ kind: 'console', message: 'm'.repeat(3000), stack: 's\0s' })).toEqual({
      kind: 'console',
      message: 'm'.repeat(2000),
      stack: 'ss',
    });
    expect(parseErrorReport({ kind: 'error', message: '' })).toEqual({
      kind: 'error',
      message: '(no message)',
    });
    expect(parseErrorReport({ kind: 'other', message: 'x' })).toBeUndefined();
    expect(parseErrorReport('nope')).toBeUndefined();
  });

  it('drops repeats within the window', () => {
    const filter = new RepeatFilter(5_000);
    const report = { kind: 'error' as const, message: 'same' };
    expect(filter.fresh('p', report, 0)).toBe(true);
    expect(filter.fresh('p', report, 4_999)).toBe(false);
    expect(filter.fresh('q', report, 4_999)).toBe(true);
    expect(filter.fresh('p', report, 5_000)).toBe(true);
  });
});
