import { type WebSearchInput, webSearchInput } from '@aura/protocol';
import { z } from 'zod';
import { redactValues } from '../provider/errors.ts';
import { decodeEntities } from './html.ts';
import { type ToolContext, type ToolDefinition, ToolError } from './types.ts';

export const MAX_SEARCH_RESULTS = 8;
const SEARCH_TIMEOUT_MS = 20_000;

export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

type SearchSettings = NonNullable<ToolContext['webSearch']>;

const braveResponse = z.object({
  web: z
    .object({
      results: z
        .array(
          z.object({ title: z.string().optional(), url: z.string(), description: z.string().optional() }),
        )
        .optional(),
    })
    .optional(),
});

const tavilyResponse = z.object({
  answer: z.string().nullish(),
  results: z
    .array(z.object({ title: z.string().optional(), url: z.string(), content: z.string().optional() }))
    .optional(),
});

function plain(text: string | undefined): string {
  return decodeEntities((text ?? '').replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

function explainStatus(provider: string, status: number): string {
  if (status === 401 || status === 403)
    return `${provider} rejected the API key (HTTP ${status}); the search key in the configuration needs fixing — this is not something a different query can fix.`;
  if (status === 429)
    return `${provider} rate limit or quota reached (HTTP 429). Wait before searching again, or continue without web search.`;
  if (status >= 500) return `${provider} had a server error (HTTP ${status}). Try again shortly.`;
  return `${provider} returned HTTP ${status}.`;
}

async function callProvider(
  settings: SearchSettings,
  query: string,
  signal: AbortSignal,
): Promise<SearchResult[]> {
  const name = settings.provider === 'brave' ? 'Brave Search' : 'Tavily';
  let response: Response;
  try {
    if (settings.provider === 'brave') {
      const base = (settings.baseUrl ?? 'https://api.search.brave.com').replace(/\/+$/, '');
      const url = `${base}/res/v1/web/search?q=${encodeURIComponent(query)}&count=${MAX_SEARCH_RESULTS}`;
      response = await fetch(url, {
        headers: { accept: 'application/json', 'x-subscription-token': settings.apiKey },
        signal,
      });
    } else {
      const base = (settings.baseUrl ?? 'https://api.tavily.com').replace(/\/+$/, '');
      response = await fetch(`${base}/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${settings.apiKey}` },
        body: JSON.stringify({ query, max_results: MAX_SEARCH_RESULTS, search_depth: 'basic' }),
        signal,
      });
    }
  } catch (error) {
    if (signal.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new ToolError(
      redactValues(
        `Web search via ${name} failed: ${detail}. The search service may be unreachable; try again later.`,
        [settings.apiKey],
      ),
    );
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new ToolError(explainStatus(name, response.status));
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ToolError(`${name} returned a response that is not JSON.`);
  }
  if (settings.provider === 'brave') {
    const parsed = braveResponse.safeParse(json);
    if (!parsed.success) throw new ToolError(`${name} returned an unexpected response shape.`);
    return (parsed.data.web?.results ?? []).map((result) => ({
      title: plain(result.title) || result.url,
      url: result.url,
      snippet: plain(result.description),
    }));
  }
  const parsed = tavilyResponse.safeParse(json);
  if (!parsed.success) throw new ToolError(`${name} returned an unexpected response shape.`);
  return (parsed.data.results ?? []).map((result) => ({
    title: plain(result.title) || result.url,
    url: result.url,
    snippet: plain(result.content).slice(0, 500),
  }));
}

export function formatResults(query: string, results: SearchResult[]): string {
  if (results.length === 0) return `No web results for "${query}". Try different keywords.`;
  const lines = results.slice(0, MAX_SEARCH_RESULTS).map((result, index) => {
    const snippet = result.snippet ? `\n   ${result.snippet}` : '';
    return `${index + 1}. ${result.title}\n   ${result.url}${snippet}`;
  });
  return `Web results for "${query}":\n\n${lines.join('\n\n')}\n\nUse web_fetch on a URL to read the page.`;
}

export const webSearchTool: ToolDefinition<WebSearchInput> = {
  name: 'web_search',
  description: [
    `Search the web and get the top ${MAX_SEARCH_RESULTS} results (title, URL, snippet).`,
    'Use it for current information: library versions, error messages, documentation locations. Then read promising pages with web_fetch.',
  ].join('\n'),
  inputSchema: webSearchInput,
  readOnly: true,
  subject: (input) => input.query,
  async execute(input, ctx) {
    const settings = ctx.webSearch;
    if (!settings) throw new ToolError('Web search is not configured for this session; continue without it.');
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(SEARCH_TIMEOUT_MS)]);
    let results: SearchResult[];
    try {
      results = await callProvider(settings, input.query, signal);
    } catch (error) {
      if (error instanceof ToolError || ctx.signal.aborted) throw error;
      if (signal.aborted)
        throw new ToolError(`Web search timed out after ${SEARCH_TIMEOUT_MS / 1000} s. Try again.`);
      throw new ToolError(redactValues(`Web search failed: ${(error as Error).message}`, [settings.apiKey]));
    }
    return {
      ok: true,
      output: formatResults(input.query, results),
      metadata: { provider: settings.provider, results: results.slice(0, MAX_SEARCH_RESULTS) },
    };
  },
};
