import { request } from '../api/http.ts';

/** A provider key as the server returns it: a hint to recognise it by, never the key itself. */
export interface StoredProviderKey {
  provider: string;
  hint: string;
  baseUrl: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface ProviderItem {
  provider: string;
  envVars: string[];
  /** Credentials from the server's environment. */
  configuredByServer: boolean;
  key: StoredProviderKey | null;
}

export interface ProviderInput {
  apiKey?: string;
  baseUrl?: string;
}

export type ProviderTestResult =
  | { ok: true; model: string; latencyMs: number }
  | { ok: false; model: string; kind: string; message: string };

const path = (provider: string) => `/api/providers/${encodeURIComponent(provider)}`;

export async function listProviders(): Promise<ProviderItem[]> {
  return (await request<{ items: ProviderItem[] }>('/api/providers')).items;
}

export function saveProvider(provider: string, input: ProviderInput) {
  return request<StoredProviderKey>(path(provider), { method: 'PUT', body: input });
}

export function removeProvider(provider: string) {
  return request<void>(path(provider), { method: 'DELETE' });
}

/** One tiny call through the provider, with the given settings over the saved ones. */
export function testProvider(provider: string, input: ProviderInput & { model?: string }) {
  return request<ProviderTestResult>(`${path(provider)}/test`, { method: 'POST', body: input });
}
