export * from './commands.ts';
export * from './events.ts';
export * from './messages.ts';
export * from './project.ts';
export * from './session.ts';
export * from './states.ts';
export * from './tools.ts';
