import { APICallError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { httpError, networkError } from '../testing/index.ts';
import { classifyError, ProviderStallError, redactSecrets } from './errors.ts';

describe('classifyError', () => {
  it.each([
    [429, 'rate_limit', true],
    [500, 'server', true],
    [502, 'server', true],
    [503, 'server', true],
    [529, 'server', true],
    [409, 'server', true],
    [408, 'network', true],
    [400, 'bad_request', false],
    [422, 'bad_request', false],
    [401, 'auth', false],
    [403, 'auth', false],
    [404, 'not_found', false],
  ] as const)('HTTP %i is %s (retryable: %s)', (status, kind, retryable) => {
    expect(classifyError(httpError(status))).toMatchObject({ kind, retryable, statusCode: status });
  });

  it('ignores a retryable hint on a status that cannot succeed on retry', () => {
    expect(classifyError(httpError(400, { isRetryable: true })).retryable).toBe(false);
  });

  it('includes the provider message from the error body', () => {
    const error = new APICallError({
      message: 'Too Many Requests',
      url: 'https://api.openai.com/v1/chat/completions',
      requestBodyValues: {},
      statusCode: 429,
      responseBody: JSON.stringify({ error: { message: 'Rate limit reached for gpt-4o', type: 'tokens' } }),
    });
    expect(classifyError(error).message).toBe(
      'The provider is rate limiting requests (HTTP 429): Rate limit reached for gpt-4o',
    );
  });

  it.each([
    ['fetch failed with ECONNREFUSED', networkError('ECONNREFUSED')],
    ['socket hang up', new Error('socket hang up')],
    [
      'an APICallError wrapping a refused connection',
      new APICallError({
        message: 'Cannot connect to API: connect ECONNREFUSED',
        url: 'http://x',
        requestBodyValues: {},
        cause: networkError(),
        isRetryable: true,
      }),
    ],
    [
      'a body that broke mid-stream (status 200)',
      new APICallError({
        message: 'Failed to process successful response',
        url: 'http://x',
        requestBodyValues: {},
        statusCode: 200,
        cause: new TypeError('terminated', {
          cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
        }),
        isRetryable: true,
      }),
    ],
  ])('%s is a retryable network error', (_label, error) => {
    expect(classifyError(error)).toMatchObject({ kind: 'network', retryable: true });
  });

  it('recognises aborts, also when wrapped by the provider', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(classifyError(abort)).toMatchObject({ kind: 'aborted', retryable: false });
    const wrapped = new APICallError({
      message: 'Failed to process successful response',
      url: 'http://x',
      requestBodyValues: {},
      statusCode: 200,
      cause: abort,
    });
    expect(classifyError(wrapped)).toMatchObject({ kind: 'aborted', retryable: false });
  });

  it('classifies stalls, even behind a provider wrapper', () => {
    const stall = new ProviderStallError(1500, 'idle');
    expect(classifyError(stall)).toMatchObject({ kind: 'stall', retryable: true });
    expect(classifyError(new Error('wrapped', { cause: stall }))).toMatchObject({ kind: 'stall' });
  });

  it('classifies provider stream error payloads', () => {
    expect(classifyError({ type: 'overloaded_error', message: 'Overloaded' })).toMatchObject({
      kind: 'server',
      retryable: true,
      message: 'The provider had a server error: Overloaded',
    });
    expect(classifyError({ error: { type: 'invalid_request_error', message: 'bad' } })).toMatchObject({
      kind: 'bad_request',
      retryable: false,
    });
    expect(classifyError({ message: 'x', statusCode: 529, isRetryable: true })).toMatchObject({
      kind: 'server',
      statusCode: 529,
    });
  });

  it('unwraps the AI SDK RetryError', () => {
    const retryError = Object.assign(new Error('Failed after 3 attempts'), {
      name: 'AI_RetryError',
      lastError: httpError(503),
    });
    expect(classifyError(retryError)).toMatchObject({ kind: 'server', statusCode: 503 });
  });

  it('falls back to unknown, not retryable', () => {
    expect(classifyError(new Error('boom'))).toEqual({
      kind: 'unknown',
      retryable: false,
      message: 'The provider request failed: boom',
    });
    expect(classifyError('weird')).toMatchObject({ kind: 'unknown', retryable: false });
  });

  it('never puts credentials in the message', () => {
    const error = httpError(401, {
      message:
        'Incorrect API key provided: sk-proj-abcdefghijklmnop1234. Header was Authorization: Bearer sk-live-secret',
    });
    const info = classifyError(error);
    expect(info.kind).toBe('auth');
    expect(info.message).not.toMatch(/abcdefghijklmnop|sk-live-secret|sk-proj/);
  });
});

describe('redactSecrets', () => {
  it.each([
    ['Authorization: Bearer abc.def.ghi-123', 'Authorization: [REDACTED]'],
    ['headers {"authorization":"Bearer tok_1234567890"}', 'headers {"authorization":"[REDACTED]"}'],
    ['x-api-key: sk-ant-api03-AbCdEf123456', 'x-api-key: [REDACTED]'],
    ['api_key=xyz123456789&model=a', 'api_key=[REDACTED]&model=a'],
    ['key sk-abc***wxyz leaked', 'key [REDACTED] leaked'],
    ['google AIzaSyA1234567890abcdefghijkLMNOP', 'google [REDACTED]'],
    ['sent Bearer eyJhbGciOiJIUzI1NiJ9.payload', 'sent [REDACTED]'],
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    const text = 'invalid x-api-key; see https://docs.example.com/errors (HTTP 401)';
    expect(redactSecrets(text)).toBe(text);
  });
});
