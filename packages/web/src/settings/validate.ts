/** Form checks for provider settings, matching what the server accepts (routes/providers.ts, settings.ts). */

const MAX_SECRET = 1000;
const MAX_URL = 1000;
const MAX_MODEL = 200;
const MAX_TOKEN_NAME = 100;

export function validateApiKey(value: string, required: boolean): string | undefined {
  const key = value.trim();
  if (!key) return required ? 'Enter the API key.' : undefined;
  if (key.length > MAX_SECRET) return `An API key has at most ${MAX_SECRET.toLocaleString('en')} characters.`;
  if (/\s/.test(key)) return 'An API key has no spaces: paste the key alone, without "Bearer".';
  return undefined;
}

export function validateBaseUrl(value: string, required: boolean): string | undefined {
  const text = value.trim();
  if (!text) return required ? 'Enter the base URL, like http://127.0.0.1:8000/v1.' : undefined;
  if (text.length > MAX_URL) return `A base URL has at most ${MAX_URL.toLocaleString('en')} characters.`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter a full URL that starts with http:// or https://.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'Enter a full URL that starts with http:// or https://.';
  }
  // A credential in the URL would be stored and shown in plain text, unlike the key field.
  if (url.username || url.password)
    return 'Leave credentials out of the URL: put the key in the API key field.';
  if (url.search || url.hash)
    return 'A base URL has no ?query or #fragment: requests add their own path to it.';
  return undefined;
}

/**
 * Trims the URL and its trailing slash. `versionPath` is added to a bare origin for endpoints
 * whose requests go straight under the base URL (`http://127.0.0.1:11434` → `…/v1`), as the
 * engine does for OLLAMA_HOST.
 */
export function normaliseBaseUrl(value: string, versionPath?: string): string {
  const text = value.trim();
  const url = new URL(text);
  if (versionPath && (url.pathname === '/' || url.pathname === '')) return `${url.origin}${versionPath}`;
  return text.replace(/\/+$/, '');
}

/** A model name as the provider knows it (`qwen2.5-coder`, `gpt-4o-mini`). */
export function validateModelName(value: string): string | undefined {
  const name = value.trim();
  if (!name) return 'Enter the name of a model this endpoint serves.';
  if (name.length > MAX_MODEL) return `A model name has at most ${MAX_MODEL} characters.`;
  if (/\s/.test(name)) return 'A model name has no spaces.';
  return undefined;
}

/** A full model id, as the default model: `provider/model`. */
export function validateModelId(value: string): string | undefined {
  const id = value.trim();
  if (!id) return 'Enter a model id such as anthropic/claude-sonnet-4-5.';
  if (!/^[\w.-]+\/\S{1,200}$/.test(id)) {
    return 'Use the form provider/model, such as anthropic/claude-sonnet-4-5 or ollama/qwen2.5-coder.';
  }
  return undefined;
}

export function validateTokenName(value: string): string | undefined {
  const name = value.trim();
  if (!name) return 'Name the token after where you will use it, like "laptop CLI".';
  if (name.length > MAX_TOKEN_NAME) return `A token name has at most ${MAX_TOKEN_NAME} characters.`;
  return undefined;
}
