/** TanStack Query keys, in one place so invalidations match their queries. */
export const queryKeys = {
  authUser: ['auth', 'user'] as const,
  authProviders: ['auth', 'providers'] as const,
  projects: ['projects'] as const,
  projectPage: (search: string, page: number) => ['projects', 'page', search, page] as const,
  project: (id: string) => ['projects', 'one', id] as const,
  /** The session a workspace opens when its URL names none. */
  workspaceSession: (projectId: string, requested: string | null) =>
    ['projects', 'one', projectId, 'session', requested] as const,
  templates: ['templates'] as const,
  models: ['models'] as const,
};
