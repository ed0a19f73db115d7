export type JsonObject = { [key: string]: unknown };

/** One `data:` payload of an OpenAI chat-completions stream (`chat.completion.chunk`). */
export type OpenAIChunk = JsonObject;

/** One Anthropic messages stream event; the SSE `event:` name is taken from its `type`. */
export type AnthropicEvent = JsonObject & { type: string };

/** One OpenAI Responses API stream event (`response.*` or `error`); the SSE `event:` name is its `type`. */
export type OpenAIResponsesEvent = JsonObject & { type: string };

type ResponseCommon = {
  /** Only serve this response to a request whose path ends with this string. */
  path?: string;
  /** Wait this long before sending the status line (simulated latency). */
  delayMs?: number;
  /** Extra response headers. */
  headers?: Record<string, string>;
};

type StreamBehaviour = {
  /** Pause between SSE frames. */
  chunkDelayMs?: number;
  /** Send this many frames, then destroy the socket (a connection dying mid-stream). */
  failAfter?: number;
  /** Send this many frames, then go silent without closing until the client aborts or the server closes. */
  stallAfter?: number;
};

export type OpenAIStreamResponse = ResponseCommon &
  StreamBehaviour & {
    kind: 'openai-stream';
    chunks: OpenAIChunk[];
    /** Send the terminating `data: [DONE]` frame (default true). */
    done?: boolean;
  };

export type AnthropicStreamResponse = ResponseCommon &
  StreamBehaviour & {
    kind: 'anthropic-stream';
    events: AnthropicEvent[];
  };

/** Served on POST `/responses` (the OpenAI Responses API); no `[DONE]` frame, as that API sends none. */
export type OpenAIResponsesStreamResponse = ResponseCommon &
  StreamBehaviour & {
    kind: 'openai-responses-stream';
    events: OpenAIResponsesEvent[];
  };

export type StatusResponse = ResponseCommon & {
  kind: 'status';
  status: number;
  /** Objects are sent as JSON, strings verbatim. */
  body?: unknown;
};

export type WireResponse =
  | OpenAIStreamResponse
  | AnthropicStreamResponse
  | OpenAIResponsesStreamResponse
  | StatusResponse;

/**
 * completed: the response was fully written; aborted: the client went away first;
 * failed: the server cut the connection on purpose (`failAfter`); pending: still open.
 */
export type RequestOutcome = 'pending' | 'completed' | 'aborted' | 'failed';

export type RecordedRequest = {
  method: string;
  path: string;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  rawBody: string;
  /** Kind of the queued response that served it, or 'unmatched' when nothing was queued for it. */
  servedWith: WireResponse['kind'] | 'unmatched';
  outcome: RequestOutcome;
  /** Resolves once the outcome is no longer 'pending'. */
  settled: Promise<RequestOutcome>;
};

export type WireServer = {
  url: string;
  baseUrlOpenAI: string;
  baseUrlAnthropic: string;
  requests: RecordedRequest[];
  enqueue(...responses: WireResponse[]): void;
  /** Responses queued but not served yet. */
  pending(): WireResponse[];
  close(): Promise<void>;
};
