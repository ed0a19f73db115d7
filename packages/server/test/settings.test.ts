import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signUp, startTestServer, type TestServer, type TestUser } from './helpers.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  server = await startTestServer('sqlite');
  alice = await signUp(server, 'prefs-alice');
  bob = await signUp(server, 'prefs-bob');
});

afterAll(async () => {
  await server?.close();
});

describe('user settings', () => {
  it('starts from the defaults, saves partial updates, and keeps each user apart', async () => {
    expect((await api(alice, 'GET', '/api/settings')).body).toEqual({ defaultModel: null, theme: 'system' });

    const dark = await api(alice, 'PUT', '/api/settings', { theme: 'dark' });
    expect(dark.status).toBe(200);
    const model = await api(alice, 'PUT', '/api/settings', { defaultModel: 'anthropic/claude-sonnet-4-5' });
    expect(model.body).toEqual({ defaultModel: 'anthropic/claude-sonnet-4-5', theme: 'dark' });
    expect((await api(alice, 'GET', '/api/settings')).body).toEqual(model.body);
    expect((await api(bob, 'GET', '/api/settings')).body).toEqual({ defaultModel: null, theme: 'system' });
  });

  it("makes the default model the one the user's runs use when they name none", async () => {
    await api(bob, 'PUT', '/api/settings', { defaultModel: 'openai/gpt-5-mini' });
    expect((await server.server.context.configFor(bob.id)).model).toBe('openai/gpt-5-mini');
    await api(bob, 'PUT', '/api/settings', { defaultModel: null });
    expect((await server.server.context.configFor(bob.id)).model).toBeUndefined();
  });

  it('refuses bad values with a clear 400 and keeps what was saved', async () => {
    const before = (await api(alice, 'GET', '/api/settings')).body;
    for (const body of [
      { theme: 'blue' },
      { defaultModel: 'no-provider' },
      { defaultModel: 42 },
      { colour: 'red' },
      {},
      'not an object',
    ]) {
      const response = await api(alice, 'PUT', '/api/settings', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const malformed = await fetch(`${server.url}/api/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      body: '{"theme": ',
    });
    expect(malformed.status).toBe(400);
    expect((await api(alice, 'GET', '/api/settings')).body).toEqual(before);
  });

  it('needs a signed-in user', async () => {
    expect((await fetch(`${server.url}/api/settings`)).status).toBe(401);
  });
});
