export {
  anthropicMessageFromEvents,
  openAICompletionFromChunks,
  openAIResponseFromEvents,
} from './aggregate.ts';
export * from './fake-model.ts';
export * from './fixtures/index.ts';
export * from './fixtures/openai-responses.ts';
export { startWireServer, type WireServerOptions } from './wire-server.ts';
export type * from './wire-types.ts';
