import { z } from 'zod';

export const projectInfo = z.object({
  id: z.string(),
  ownerId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  template: z.string().nullable(),
  sandboxId: z.string().nullable(),
  previewUrl: z.string().nullable(),
  thumbnail: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ProjectInfo = z.infer<typeof projectInfo>;
