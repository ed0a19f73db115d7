import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createProject, deleteProject, listProjects, listTemplates, updateProject } from '../api/projects.ts';
import { queryKeys } from '../api/query-keys.ts';
import { listModels } from '../api/sessions.ts';

export const PAGE_SIZE = 12;

export function useProjectPage(search: string, page: number) {
  return useQuery({
    queryKey: queryKeys.projectPage(search, page),
    queryFn: ({ signal }) =>
      listProjects({ limit: PAGE_SIZE, offset: page * PAGE_SIZE, ...(search ? { search } : {}) }, signal),
    // The current page stays on screen while the next one loads, so the grid does not jump.
    placeholderData: keepPreviousData,
  });
}

export function useTemplates() {
  return useQuery({ queryKey: queryKeys.templates, queryFn: listTemplates, staleTime: 10 * 60_000 });
}

export function useModels() {
  return useQuery({ queryKey: queryKeys.models, queryFn: listModels, staleTime: 60_000 });
}

function useInvalidateProjects() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.projects });
}

export function useCreateProject() {
  const invalidate = useInvalidateProjects();
  return useMutation({ mutationFn: createProject, onSuccess: invalidate });
}

export function useRenameProject() {
  const invalidate = useInvalidateProjects();
  return useMutation({
    mutationFn: ({ id, name }: { id: string; name: string }) => updateProject(id, { name }),
    onSuccess: invalidate,
  });
}

export function useDeleteProject() {
  const invalidate = useInvalidateProjects();
  return useMutation({ mutationFn: deleteProject, onSuccess: invalidate });
}
