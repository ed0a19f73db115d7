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
  /** Whether the project's sandbox may reach the internet (package installs); loopback only when off. */
  network: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ProjectInfo = z.infer<typeof projectInfo>;
