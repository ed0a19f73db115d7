export type { EventListener } from './bus.ts';
export { EventBus } from './bus.ts';
export { SessionEvents } from './session-events.ts';
