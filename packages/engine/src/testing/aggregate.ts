import type { AnthropicEvent, JsonObject, OpenAIChunk, OpenAIResponsesEvent } from './wire-types.ts';

// Folds recorded stream fixtures into the body a non-streaming request would
// get, so one fixture serves both `stream: true` and `stream: false` calls.

function obj(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

type ToolCallAccumulator = { id: string; name: string; arguments: string };

export function openAICompletionFromChunks(chunks: OpenAIChunk[]): JsonObject {
  let content: string | null = null;
  const toolCalls = new Map<number, ToolCallAccumulator>();
  let finishReason: unknown = null;
  let usage: unknown = null;
  const first = chunks[0] ?? {};

  for (const chunk of chunks) {
    if (chunk.usage != null) usage = chunk.usage;
    for (const rawChoice of arr(chunk.choices)) {
      const choice = obj(rawChoice);
      if (choice === undefined) continue;
      if (choice.finish_reason != null) finishReason = choice.finish_reason;
      const delta = obj(choice.delta);
      const text = str(delta?.content);
      if (text !== undefined) content = (content ?? '') + text;
      for (const rawCall of arr(delta?.tool_calls)) {
        const call = obj(rawCall);
        if (call === undefined) continue;
        const index = typeof call.index === 'number' ? call.index : 0;
        const acc = toolCalls.get(index) ?? { id: '', name: '', arguments: '' };
        const fn = obj(call.function);
        acc.id = str(call.id) ?? acc.id;
        acc.name = str(fn?.name) ?? acc.name;
        acc.arguments += str(fn?.arguments) ?? '';
        toolCalls.set(index, acc);
      }
    }
  }

  const message: JsonObject = { role: 'assistant', content, refusal: null };
  if (toolCalls.size > 0) {
    message.tool_calls = [...toolCalls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      }));
  }
  return {
    id: first.id ?? 'chatcmpl-wire',
    object: 'chat.completion',
    created: first.created ?? Math.floor(Date.now() / 1000),
    model: first.model ?? 'wire-model',
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason ?? 'stop' }],
    usage,
    system_fingerprint: first.system_fingerprint ?? null,
  };
}

type AnthropicBlock = JsonObject & { partialJson?: string };

export function anthropicMessageFromEvents(events: AnthropicEvent[]): JsonObject {
  let message: JsonObject = {};
  const blocks = new Map<number, AnthropicBlock>();
  let usage: JsonObject = {};

  for (const event of events) {
    const index = typeof event.index === 'number' ? event.index : 0;
    switch (event.type) {
      case 'message_start': {
        message = { ...obj(event.message) };
        usage = { ...obj(message.usage) };
        break;
      }
      case 'content_block_start': {
        blocks.set(index, { ...obj(event.content_block) });
        break;
      }
      case 'content_block_delta': {
        const block = blocks.get(index);
        const delta = obj(event.delta);
        if (block === undefined || delta === undefined) break;
        if (delta.type === 'text_delta') block.text = (str(block.text) ?? '') + (str(delta.text) ?? '');
        if (delta.type === 'thinking_delta') {
          block.thinking = (str(block.thinking) ?? '') + (str(delta.thinking) ?? '');
        }
        if (delta.type === 'signature_delta') block.signature = delta.signature;
        if (delta.type === 'input_json_delta') {
          block.partialJson = (block.partialJson ?? '') + (str(delta.partial_json) ?? '');
        }
        break;
      }
      case 'message_delta': {
        Object.assign(message, obj(event.delta));
        Object.assign(usage, obj(event.usage));
        break;
      }
    }
  }

  const content = [...blocks.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, { partialJson, ...block }]) =>
      block.type === 'tool_use' && partialJson !== undefined && partialJson !== ''
        ? { ...block, input: JSON.parse(partialJson) }
        : block,
    );
  return { ...message, type: 'message', role: 'assistant', content, usage };
}

const RESPONSE_END_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/**
 * The body of a non-streaming `POST /responses`: the final response object the stream ended with
 * (its `output` rebuilt from the item events when the fixture left it empty). A stream that ended
 * in an `error` event becomes a failed response carrying that error.
 */
export function openAIResponseFromEvents(events: OpenAIResponsesEvent[]): JsonObject {
  const items = new Map<number, JsonObject>();
  let response: JsonObject = {};
  let error: JsonObject | undefined;

  for (const event of events) {
    const index = typeof event.output_index === 'number' ? event.output_index : 0;
    const item = items.get(index);
    if (event.type === 'response.created' || RESPONSE_END_EVENTS.has(event.type)) {
      response = { ...response, ...obj(event.response) };
    } else if (event.type === 'response.output_item.added' || event.type === 'response.output_item.done') {
      const added = { ...obj(event.item) };
      if (added.type === 'message' && event.type === 'response.output_item.added') added.content = [];
      items.set(index, added);
    } else if (event.type === 'response.output_text.delta' && item !== undefined) {
      const content = arr(item.content) as JsonObject[];
      const last = content.at(-1);
      if (last?.type === 'output_text') last.text = (str(last.text) ?? '') + (str(event.delta) ?? '');
      else content.push({ type: 'output_text', text: str(event.delta) ?? '', annotations: [], logprobs: [] });
      item.content = content;
    } else if (event.type === 'response.function_call_arguments.delta' && item !== undefined) {
      item.arguments = (str(item.arguments) ?? '') + (str(event.delta) ?? '');
    } else if (event.type === 'error') {
      error = obj(event.error) ?? { code: event.code, message: event.message };
    }
  }

  const output =
    arr(response.output).length > 0
      ? arr(response.output)
      : [...items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
  const body: JsonObject = {
    object: 'response',
    ...response,
    id: response.id ?? 'resp_wire',
    created_at: response.created_at ?? Math.floor(Date.now() / 1000),
    model: response.model ?? 'wire-model',
    output,
  };
  if (body.status === 'in_progress') body.status = 'completed';
  const failure = error ?? obj(response.error);
  if (failure !== undefined) {
    // The non-streaming schema wants a string type and code on the error.
    const code = str(failure.code) ?? 'server_error';
    body.status = 'failed';
    body.error = {
      type: str(failure.type) ?? code,
      code,
      message: str(failure.message) ?? 'failed',
      param: null,
    };
  }
  return body;
}
