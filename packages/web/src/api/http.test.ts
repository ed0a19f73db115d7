import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, request, withQuery } from './http.ts';

function respond(status: number, body: string, headers: Record<string, string> = {}) {
  const fetchMock = vi.fn(async () => new Response(body || null, { status, headers }));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('request', () => {
  it('sends JSON with the cookie and returns the parsed body', async () => {
    const fetchMock = respond(201, '{"id":"prj_1"}');
    await expect(request('/api/projects', { method: 'POST', body: { name: 'x' } })).resolves.toEqual({
      id: 'prj_1',
    });
    expect(fetchMock).toHaveBeenCalledWith('/api/projects', {
      method: 'POST',
      credentials: 'include',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: '{"name":"x"}',
    });
  });

  it('resolves to undefined for 204', async () => {
    respond(204, '');
    await expect(request('/api/projects/prj_1', { method: 'DELETE' })).resolves.toBeUndefined();
  });

  it("surfaces Aura's error message, code and issues", async () => {
    respond(
      400,
      JSON.stringify({
        error: {
          code: 'invalid_body',
          message: 'name: too short',
          issues: [{ path: 'name', message: 'too short' }],
        },
      }),
    );
    const error = await request('/api/projects').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_body',
      message: 'name: too short',
      issues: [{ path: 'name', message: 'too short' }],
    });
  });

  it("surfaces Better Auth's {code, message} errors", async () => {
    respond(401, JSON.stringify({ code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' }));
    await expect(request('/api/auth/sign-in/email')).rejects.toMatchObject({
      status: 401,
      code: 'invalid_email_or_password',
      message: 'Invalid email or password',
    });
  });

  it('says when to try again after a rate limit', async () => {
    respond(429, JSON.stringify({ error: { code: 'rate_limited', message: 'Too many sign-in attempts.' } }), {
      'retry-after': '30',
    });
    await expect(request('/api/auth/sign-in/email')).rejects.toThrow(
      'Too many sign-in attempts. Try again in 30 s.',
    );
  });

  it('explains a non-JSON failure and an unreachable server', async () => {
    respond(502, '<html>Bad gateway</html>');
    await expect(request('/api/projects')).rejects.toThrow(
      'The server had a problem (502). Try again in a moment.',
    );
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('fetch failed');
      }),
    );
    await expect(request('/api/projects')).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});

describe('withQuery', () => {
  it('adds only the parameters that have values', () => {
    expect(withQuery('/api/projects', { limit: 12, offset: 0, search: '' })).toBe(
      '/api/projects?limit=12&offset=0',
    );
    expect(withQuery('/api/projects', { search: 'a b' })).toBe('/api/projects?search=a+b');
    expect(withQuery('/api/projects', undefined)).toBe('/api/projects');
  });
});
