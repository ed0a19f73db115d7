import { request } from '../api/http.ts';

export interface ApiToken {
  id: string;
  name: string;
  /** The first characters of the token, to recognise it by. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
}

/** The response to creating a token: the only time the token itself is sent. */
export interface CreatedApiToken extends ApiToken {
  token: string;
}

export async function listTokens(): Promise<ApiToken[]> {
  return (await request<{ items: ApiToken[] }>('/api/tokens')).items;
}

export function createToken(input: { name: string; expiresInDays?: number }) {
  return request<CreatedApiToken>('/api/tokens', { method: 'POST', body: input });
}

export function revokeToken(id: string) {
  return request<void>(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
