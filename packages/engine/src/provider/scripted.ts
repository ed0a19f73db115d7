import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4Content,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { APICallError } from '@ai-sdk/provider';
import type { Script, ScriptStep } from './script-schema.ts';

/**
 * A LanguageModelV4 that answers each call with the next step of a JSON script. It goes through
 * the same loop, tools and store as a real model, so tests and demos exercise the real product.
 */
export function createScriptedModel(script: Script, id: string): LanguageModelV4 {
  let next = 0;
  const takeStep = (): ScriptStep => {
    const step = script.steps[next];
    if (!step) {
      throw new APICallError({
        message: `The scripted model ran out of steps (the script has ${script.steps.length}).`,
        url: id,
        requestBodyValues: {},
        statusCode: 400,
        isRetryable: false,
      });
    }
    next += 1;
    return step;
  };

  return {
    specificationVersion: 'v4',
    provider: 'script',
    modelId: id,
    supportedUrls: {},
    async doGenerate(options) {
      const step = takeStep();
      throwIfFailsUpFront(step, id);
      const content: LanguageModelV4Content[] = [];
      const text = answerText(step, options);
      if (step.reasoning) content.push({ type: 'reasoning', text: step.reasoning });
      if (text) content.push({ type: 'text', text });
      for (const [index, call] of (step.tools ?? []).entries()) {
        content.push({
          type: 'tool-call',
          toolCallId: callId(call, next, index),
          toolName: call.name,
          input: inputText(call),
        });
      }
      return {
        content,
        finishReason: { unified: step.tools?.length ? 'tool-calls' : 'stop', raw: undefined },
        usage: usageOf(step, options, text),
        warnings: [],
      };
    },
    async doStream(options) {
      const step = takeStep();
      throwIfFailsUpFront(step, id);
      const stepNumber = next;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async start(controller) {
          const signal = options.abortSignal;
          const emitChunks = async (kind: 'text' | 'reasoning', text: string) => {
            const partId = `${kind}-${stepNumber}`;
            controller.enqueue({ type: `${kind}-start`, id: partId });
            for (const chunk of chunksOf(text, step.chunkSize)) {
              if (step.delayMs) await sleep(step.delayMs, signal);
              controller.enqueue({ type: `${kind}-delta`, id: partId, delta: chunk });
            }
            controller.enqueue({ type: `${kind}-end`, id: partId });
          };
          try {
            controller.enqueue({ type: 'stream-start', warnings: [] });
            controller.enqueue({ type: 'response-metadata', id: `script-${stepNumber}`, modelId: id });
            if (step.reasoning) await emitChunks('reasoning', step.reasoning);
            const text = answerText(step, options);
            if (text) await emitChunks('text', text);
            if (step.error) {
              controller.enqueue({ type: 'error', error: errorOf(step.error, id) });
              controller.close();
              return;
            }
            for (const [index, call] of (step.tools ?? []).entries()) {
              if (step.delayMs) await sleep(step.delayMs, signal);
              const toolCallId = callId(call, stepNumber, index);
              const input = inputText(call);
              controller.enqueue({ type: 'tool-input-start', id: toolCallId, toolName: call.name });
              controller.enqueue({ type: 'tool-input-delta', id: toolCallId, delta: input });
              controller.enqueue({ type: 'tool-input-end', id: toolCallId });
              controller.enqueue({ type: 'tool-call', toolCallId, toolName: call.name, input });
            }
            controller.enqueue({
              type: 'finish',
              usage: usageOf(step, options, text),
              finishReason: { unified: step.tools?.length ? 'tool-calls' : 'stop', raw: undefined },
            });
            controller.close();
          } catch (error) {
            controller.error(error);
          }
        },
      });
      return { stream };
    },
  };
}

/** An error step fails before any output unless it says `midStream`. */
function throwIfFailsUpFront(step: ScriptStep, id: string): void {
  if (!step.error) return;
  if (typeof step.error === 'object' && step.error.midStream) return;
  throw errorOf(step.error, id);
}

function errorOf(error: NonNullable<ScriptStep['error']>, id: string): Error {
  const spec = typeof error === 'string' ? { message: error } : error;
  if (spec.status === undefined) return new Error(spec.message);
  const headers: Record<string, string> = {};
  if ('retryAfterSeconds' in spec && spec.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(spec.retryAfterSeconds);
  }
  return new APICallError({
    message: spec.message,
    url: id,
    requestBodyValues: {},
    statusCode: spec.status,
    responseHeaders: headers,
    isRetryable: spec.status === 429 || spec.status >= 500,
  });
}

/** Structured-output calls get the step's `object` as JSON text. */
function answerText(step: ScriptStep, options: LanguageModelV4CallOptions): string {
  if (step.object !== undefined && options.responseFormat?.type === 'json')
    return JSON.stringify(step.object);
  if (step.object !== undefined && step.text === undefined) return JSON.stringify(step.object);
  return step.text ?? '';
}

function inputText(call: { input?: unknown; inputText?: string }): string {
  return call.inputText ?? JSON.stringify(call.input ?? {});
}

function callId(call: { id?: string }, step: number, index: number): string {
  return call.id ?? `call_script_${step}_${index}`;
}

function chunksOf(text: string, size: number | undefined): string[] {
  if (!size || size >= text.length) return [text];
  const chunks: string[] = [];
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i += size) chunks.push(chars.slice(i, i + size).join(''));
  return chunks;
}

/** Scripts have no tokenizer: roughly four characters a token, unless the step says otherwise. */
function usageOf(step: ScriptStep, options: LanguageModelV4CallOptions, text: string): LanguageModelV4Usage {
  const promptChars = JSON.stringify(options.prompt).length;
  const outputChars = text.length + JSON.stringify(step.tools ?? []).length;
  const input = step.usage?.input ?? Math.ceil(promptChars / 4);
  const output = step.usage?.output ?? Math.ceil(outputChars / 4);
  return {
    inputTokens: { total: input, noCache: input, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: output, text: output, reasoning: 0 },
  };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
