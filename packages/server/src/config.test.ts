import { describe, expect, it } from 'vitest';
import { serverOptionsFrom } from './config.ts';

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
    expect(options).toMatchObject({ baseUrl: 'http://127.0.0.1:3123', baseUrlFixed: false });
    expect(serverOptionsFrom({ port: 80, host: '0.0.0.0', data: '/tmp/x' }, {}).baseUrl).toBe(
      'http://localhost:80',
    );
  });

  it('lets users reach private provider URLs only on a loopback-only server, unless told otherwise', () => {
    expect(serverOptionsFrom({ data: '/x' }, {}).allowPrivateProviderUrls).toBe(true);
    expect(serverOptionsFrom({ host: '0.0.0.0', data: '/x' }, {}).allowPrivateProviderUrls).toBe(false);
    expect(
      serverOptionsFrom({ host: '0.0.0.0', data: '/x' }, { AURA_ALLOW_PRIVATE_PROVIDER_URLS: '1' })
        .allowPrivateProviderUrls,
    ).toBe(true);
  });
});
