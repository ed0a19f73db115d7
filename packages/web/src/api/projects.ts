import type { ProjectInfo } from '@aura/protocol';
import { request } from './http.ts';

export interface ProjectPage {
  items: ProjectInfo[];
  total: number;
  limit: number;
  offset: number;
}

export interface TemplateInfo {
  name: string;
  description: string;
  default: boolean;
}

export function listProjects(
  query: { limit: number; offset: number; search?: string },
  signal?: AbortSignal,
) {
  return request<ProjectPage>('/api/projects', { query, ...(signal ? { signal } : {}) });
}

export function getProject(id: string) {
  return request<ProjectInfo>(`/api/projects/${encodeURIComponent(id)}`);
}

export function createProject(input: { name: string; description?: string; template?: string }) {
  return request<ProjectInfo>('/api/projects', { method: 'POST', body: input });
}

export function updateProject(id: string, input: { name?: string; description?: string | null }) {
  return request<ProjectInfo>(`/api/projects/${encodeURIComponent(id)}`, { method: 'PATCH', body: input });
}

export function deleteProject(id: string) {
  return request<void>(`/api/projects/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export async function listTemplates(): Promise<TemplateInfo[]> {
  return (await request<{ items: TemplateInfo[] }>('/api/templates')).items;
}
