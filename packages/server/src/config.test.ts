import { describe, expect, it } from 'vitest';
import { allowedOrigins, previewDomainFor, serverOptionsFrom } from './config.ts';

describe('server options', () => {
  it('takes flags over the environment over the config file', () => {
    const file = {
      port: 4000,
      host: '0.0.0.0',
      baseUrl: 'https://aura.example.com',
      trustedOrigins: ['https://a.example.com'],
    };
    const fromFile = serverOptionsFrom({ data: '/tmp/x' }, {}, file);
    expect(fromFile).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      baseUrl: 'https://aura.example.com',
      baseUrlFixed: true,
    });
    expect(fromFile.trustedOrigins).toEqual(['https://a.example.com']);
    const fromEnv = serverOptionsFrom(
      { data: '/tmp/x' },
      { AURA_PORT: '5000', AURA_HOST: '127.0.0.2' },
      file,
    );
    expect(fromEnv).toMatchObject({ port: 5000, host: '127.0.0.2' });
    const fromFlags = serverOptionsFrom(
      { port: 6000, host: '::1', data: '/tmp/x' },
      { AURA_PORT: '5000' },
      file,
    );
    expect(fromFlags).toMatchObject({ port: 6000, host: '::1' });
  });

  it('derives the base URL from host and port unless one is given', () => {
    const options = serverOptionsFrom({ port: 3123, data: '/tmp/x' }, {});
    expect(options).toMatchObject({ baseUrl: 'http://aura.localhost:3123', baseUrlFixed: false });
    expect(serverOptionsFrom({ port: 80, host: '0.0.0.0', data: '/tmp/x' }, {}).baseUrl).toBe(
      'http://aura.localhost:80',
    );
    expect(serverOptionsFrom({ port: 80, host: '10.1.2.3', data: '/tmp/x' }, {}).baseUrl).toBe(
      'http://10.1.2.3:80',
    );
    const fixed = serverOptionsFrom(
      { port: 80, data: '/tmp/x' },
      { AURA_BASE_URL: 'https://aura.example.com' },
    );
    expect(fixed).toMatchObject({ baseUrl: 'https://aura.example.com', baseUrlFixed: true });
  });

  it('puts previews under the IDE host name (same site), or localhost under an address', () => {
    expect(previewDomainFor('http://aura.localhost:3000')).toBe('aura.localhost');
    expect(previewDomainFor('https://aura.example.com')).toBe('aura.example.com');
    expect(previewDomainFor('http://10.1.2.3:3000')).toBe('localhost');
    expect(previewDomainFor('http://[::1]:3000')).toBe('localhost');
    expect(
      serverOptionsFrom({ data: '/x' }, { AURA_PREVIEW_DOMAIN: '.Preview.Example.' }).preview.domain,
    ).toBe('preview.example');
    expect(serverOptionsFrom({ data: '/x' }, {}).preview.domain).toBeUndefined();
  });

  it('accepts the loopback aliases of the default local address as origins, and only those', () => {
    const local = allowedOrigins(serverOptionsFrom({ port: 3000, data: '/x' }, {}));
    expect([...local].sort()).toEqual(
      [
        'http://127.0.0.1:3000',
        'http://[::1]:3000',
        'http://aura.localhost:3000',
        'http://localhost:3000',
      ].sort(),
    );
    const fixed = allowedOrigins(
      serverOptionsFrom({ port: 3000, data: '/x' }, { AURA_BASE_URL: 'https://aura.example.com' }),
    );
    expect([...fixed]).toEqual(['https://aura.example.com']);
  });

  it('lets users reach private provider URLs only on a loopback-only server, unless told otherwise', () => {
    expect(serverOptionsFrom({ data: '/x' }, {}).allowPrivateProviderUrls).toBe(true);
    expect(serverOptionsFrom({ host: '0.0.0.0', data: '/x' }, {}).allowPrivateProviderUrls).toBe(false);
    expect(
      serverOptionsFrom({ host: '0.0.0.0', data: '/x' }, { AURA_ALLOW_PRIVATE_PROVIDER_URLS: '1' })
        .allowPrivateProviderUrls,
    ).toBe(true);
  });

  it('takes thumbnails by default unless root, with AURA_CHROMIUM and the settle time from the environment', () => {
    expect(serverOptionsFrom({ data: '/x' }, {}).thumbnails).toMatchObject({
      // As root, Chromium would run the apps' code without its sandbox: only when asked for.
      enabled: process.getuid?.() !== 0,
      chromium: undefined,
      settleMs: 1_500,
    });
    expect(serverOptionsFrom({ data: '/x' }, { AURA_THUMBNAILS: '1' }).thumbnails.enabled).toBe(true);
    expect(
      serverOptionsFrom(
        { data: '/x' },
        { AURA_THUMBNAILS: '0', AURA_CHROMIUM: '/opt/chromium', AURA_THUMBNAIL_SETTLE_MS: '250' },
      ).thumbnails,
    ).toMatchObject({ enabled: false, chromium: '/opt/chromium', settleMs: 250 });
    expect(() => serverOptionsFrom({ data: '/x' }, { AURA_THUMBNAIL_SETTLE_MS: 'soon' })).toThrow(
      /AURA_THUMBNAIL_SETTLE_MS/,
    );
  });
});
