import { z } from 'zod';

/** App-builder states (DESIGN §3). */
export const builderStates = [
  'IDLE',
  'DESIGNING_PHASE',
  'IMPLEMENTING_PHASE',
  'INSTALLING_DEPS',
  'STARTING_SERVER',
  'VERIFYING',
  'COMPLETE',
] as const;

/** A session is in one state at a time: chat runs use RUNNING / WAITING_PERMISSION. */
export const sessionState = z.enum([...builderStates, 'RUNNING', 'WAITING_PERMISSION', 'INTERRUPTED']);
export type SessionState = z.infer<typeof sessionState>;

export const sessionMode = z.enum(['chat', 'build']);
export type SessionMode = z.infer<typeof sessionMode>;

export const runStatus = z.enum(['completed', 'cancelled', 'error', 'max_steps', 'stuck', 'interrupted']);
export type RunStatus = z.infer<typeof runStatus>;
