export type { EventListener } from './bus.ts';
export { EventBus } from './bus.ts';
export { closeRun } from './close-run.ts';
export { SessionEvents } from './session-events.ts';
