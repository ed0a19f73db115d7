import { keyedQueue } from '../shared/keyed-queue.ts';

/**
 * Runs `task` after every earlier task with the same key has settled. Two sessions of one project
 * finishing their turns together must not both write the checkpoint repository's index.
 */
export const withLock = keyedQueue();
