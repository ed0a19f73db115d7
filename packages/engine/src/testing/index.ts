export { anthropicMessageFromEvents, openAICompletionFromChunks } from './aggregate.ts';
export * from './fake-model.ts';
export * from './fixtures/index.ts';
export { startWireServer, type WireServerOptions } from './wire-server.ts';
export type * from './wire-types.ts';
