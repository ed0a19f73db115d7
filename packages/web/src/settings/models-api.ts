import type { SessionMode } from '@aura/protocol';
import { request } from '../api/http.ts';

export interface ModelPrice {
  input: number;
  output: number;
}

export interface CatalogModel {
  id: string;
  provider: string;
  available: boolean;
  /** USD per million tokens; null when unknown. */
  price: ModelPrice | null;
}

/** The labelled scripted demo the server offers when it allows scripted models. */
export interface ScriptedDemo {
  model: string;
  prompt: string;
  mode: SessionMode;
  label: string;
}

export interface ModelCatalog {
  items: CatalogModel[];
  scriptedAllowed: boolean;
  /** Absent from servers that predate the bundled demo. */
  demo?: ScriptedDemo | null;
}

export function getModelCatalog() {
  return request<ModelCatalog>('/api/models');
}
