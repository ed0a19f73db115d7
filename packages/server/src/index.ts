export type { App } from './app.ts';
export { createApp } from './app.ts';
export { type ServerOptions, serverOptionsFrom } from './config.ts';
export type { ServerContext } from './context.ts';
export { type RunningServer, type StartOptions, startServer } from './start.ts';
