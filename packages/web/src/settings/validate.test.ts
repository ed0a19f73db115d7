import { describe, expect, it } from 'vitest';
import {
  normaliseBaseUrl,
  validateApiKey,
  validateBaseUrl,
  validateModelId,
  validateModelName,
  validateTokenName,
} from './validate.ts';

describe('API key validation', () => {
  it('asks for a required key and lets an optional one be empty', () => {
    expect(validateApiKey('  ', true)).toBe('Enter the API key.');
    expect(validateApiKey('', false)).toBeUndefined();
  });

  it('refuses what cannot be a key', () => {
    expect(validateApiKey('Bearer sk-abc', true)).toMatch(/no spaces/);
    expect(validateApiKey('x'.repeat(1001), true)).toMatch(/at most 1,000/);
    expect(validateApiKey(' sk-ant-api03-abc \n', true)).toBeUndefined();
  });
});

describe('base URL validation', () => {
  it('needs a full http(s) URL', () => {
    expect(validateBaseUrl('', true)).toMatch(/Enter the base URL/);
    expect(validateBaseUrl('', false)).toBeUndefined();
    expect(validateBaseUrl('127.0.0.1:11434', true)).toMatch(/http:\/\/ or https:\/\//);
    expect(validateBaseUrl('ftp://models.example', true)).toMatch(/http:\/\/ or https:\/\//);
    expect(validateBaseUrl('http://127.0.0.1:11434', true)).toBeUndefined();
  });

  it('keeps credentials, queries and fragments out', () => {
    expect(validateBaseUrl('https://user:secret@llm.example/v1', true)).toMatch(/credentials/);
    expect(validateBaseUrl('https://llm.example/v1?key=1', true)).toMatch(/no \?query/);
    expect(validateBaseUrl('https://llm.example/v1#x', true)).toMatch(/no \?query/);
  });

  it('adds the version path to a bare origin only', () => {
    expect(normaliseBaseUrl(' http://127.0.0.1:11434/ ', '/v1')).toBe('http://127.0.0.1:11434/v1');
    expect(normaliseBaseUrl('http://127.0.0.1:11434', '/v1')).toBe('http://127.0.0.1:11434/v1');
    expect(normaliseBaseUrl('https://api.groq.com/openai/v1/', '/v1')).toBe('https://api.groq.com/openai/v1');
    expect(normaliseBaseUrl('https://api.anthropic.com/')).toBe('https://api.anthropic.com');
  });
});

describe('model validation', () => {
  it('wants a bare model name for a test', () => {
    expect(validateModelName('')).toMatch(/Enter the name/);
    expect(validateModelName('qwen 2.5')).toMatch(/no spaces/);
    expect(validateModelName('qwen2.5-coder:7b')).toBeUndefined();
  });

  it('wants provider/model for the default model, as the server does', () => {
    expect(validateModelId('claude-sonnet-4-5')).toMatch(/provider\/model/);
    expect(validateModelId('script:demo/build-todo.json')).toMatch(/provider\/model/);
    expect(validateModelId('openrouter/qwen/qwen3-coder')).toBeUndefined();
    expect(validateModelId('openai-compatible/llama-3.1-8b')).toBeUndefined();
  });
});

describe('token name validation', () => {
  it('wants a short name', () => {
    expect(validateTokenName('  ')).toMatch(/Name the token/);
    expect(validateTokenName('x'.repeat(101))).toMatch(/at most 100/);
    expect(validateTokenName('laptop CLI')).toBeUndefined();
  });
});
