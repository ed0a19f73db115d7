/**
 * How the IDE presents each provider the server knows (GET /api/providers names them): labels,
 * which fields its form has, and what a test needs.
 */
export type ProviderKind = 'hosted' | 'local' | 'endpoint' | 'server-only';

export type FieldNeed = 'required' | 'optional' | 'none';

export interface ProviderSpec {
  id: string;
  label: string;
  blurb: string;
  kind: ProviderKind;
  key: FieldNeed;
  baseUrl: FieldNeed;
  /** Filled in when nothing is stored: where the runtime listens by default. */
  baseUrlDefault?: string;
  baseUrlPlaceholder?: string;
  /** Added to a bare origin, for endpoints whose routes sit under /v1. */
  versionPath?: string;
  keyPlaceholder?: string;
  /** The server has no default model for it, so a test has to name one. */
  testNeedsModel: boolean;
}

const specs: ProviderSpec[] = [
  {
    id: 'anthropic',
    label: 'Anthropic',
    blurb: 'Claude models.',
    kind: 'hosted',
    key: 'required',
    baseUrl: 'optional',
    baseUrlPlaceholder: 'https://api.anthropic.com',
    keyPlaceholder: 'sk-ant-…',
    testNeedsModel: false,
  },
  {
    id: 'openai',
    label: 'OpenAI',
    blurb: 'GPT and o-series models.',
    kind: 'hosted',
    key: 'required',
    baseUrl: 'optional',
    baseUrlPlaceholder: 'https://api.openai.com/v1',
    keyPlaceholder: 'sk-…',
    testNeedsModel: false,
  },
  {
    id: 'google',
    label: 'Google Gemini',
    blurb: 'Gemini models through the Gemini API.',
    kind: 'hosted',
    key: 'required',
    baseUrl: 'none',
    keyPlaceholder: 'AIza…',
    testNeedsModel: false,
  },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    blurb: 'Many providers behind one key.',
    kind: 'hosted',
    key: 'required',
    baseUrl: 'none',
    keyPlaceholder: 'sk-or-…',
    testNeedsModel: false,
  },
  {
    id: 'azure',
    label: 'Azure OpenAI',
    blurb: 'Your Azure OpenAI resource; models are deployment names.',
    kind: 'hosted',
    key: 'required',
    baseUrl: 'required',
    baseUrlPlaceholder: 'https://my-resource.openai.azure.com/openai',
    testNeedsModel: true,
  },
  {
    id: 'bedrock',
    label: 'Amazon Bedrock',
    blurb: 'Uses the AWS credentials of the server, which only its operator can set.',
    kind: 'server-only',
    key: 'none',
    baseUrl: 'none',
    testNeedsModel: false,
  },
  {
    id: 'ollama',
    label: 'Ollama',
    blurb: 'Models running on your own machine with Ollama.',
    kind: 'local',
    key: 'none',
    baseUrl: 'required',
    baseUrlDefault: 'http://127.0.0.1:11434',
    versionPath: '/v1',
    testNeedsModel: true,
  },
  {
    id: 'lmstudio',
    label: 'LM Studio',
    blurb: 'Models served by LM Studio on your machine.',
    kind: 'local',
    key: 'none',
    baseUrl: 'required',
    baseUrlDefault: 'http://127.0.0.1:1234',
    versionPath: '/v1',
    testNeedsModel: true,
  },
  {
    id: 'openai-compatible',
    label: 'OpenAI-compatible endpoint',
    blurb: 'Any server that speaks the OpenAI chat API: vLLM, llama.cpp, Together, Groq…',
    kind: 'endpoint',
    key: 'optional',
    baseUrl: 'required',
    baseUrlPlaceholder: 'http://127.0.0.1:8000/v1',
    versionPath: '/v1',
    testNeedsModel: true,
  },
];

const byId = new Map(specs.map((spec) => [spec.id, spec]));

/** The spec of a provider; one the IDE does not know yet gets a generic form. */
export function providerSpec(id: string): ProviderSpec {
  return (
    byId.get(id) ?? {
      id,
      label: id,
      blurb: 'A provider this version of the IDE does not describe yet.',
      kind: 'hosted',
      key: 'optional',
      baseUrl: 'optional',
      testNeedsModel: true,
    }
  );
}

/** Hosted providers a person can connect with just a key, for the first-run step. */
export const keyOnlyProviders = specs.filter((s) => s.kind === 'hosted' && s.baseUrl !== 'required');
