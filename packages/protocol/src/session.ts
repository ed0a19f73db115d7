import { z } from 'zod';
import { usage } from './messages.ts';
import { sessionMode, sessionState } from './states.ts';

export const sessionInfo = z.object({
  id: z.string(),
  title: z.string().nullable(),
  directory: z.string(),
  projectId: z.string().nullable(),
  userId: z.string().nullable(),
  model: z.string().nullable(),
  mode: sessionMode,
  state: sessionState,
  createdAt: z.number(),
  updatedAt: z.number(),
  lastSeq: z.number().int().nonnegative(),
  usage: usage.extend({ steps: z.number().int().nonnegative() }),
});
export type SessionInfo = z.infer<typeof sessionInfo>;
