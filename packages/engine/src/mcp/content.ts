import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { formatBytes, truncateText } from '../tool/text.ts';

/** What the model reads of one MCP tool result, like the output caps of the built-in tools. */
export const MAX_MCP_OUTPUT_BYTES = 50 * 1024;

/** Size of base64 data once decoded, without decoding it. */
function decodedSize(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((base64.length * 3) / 4) - padding);
}

function blockText(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return `[${block.type}: ${block.mimeType}, ${formatBytes(decodedSize(block.data))}]`;
    case 'resource_link':
      return `[resource: ${block.uri}${block.mimeType ? ` (${block.mimeType})` : ''}]`;
    case 'resource': {
      const { resource } = block;
      if ('text' in resource) return `[resource: ${resource.uri}]\n${resource.text}`;
      const mime = resource.mimeType ? `${resource.mimeType}, ` : '';
      return `[resource: ${resource.uri}, ${mime}${formatBytes(decodedSize(resource.blob))}]`;
    }
    default:
      return '[unsupported content]';
  }
}

/**
 * Turns an MCP tool result into text for the model: text parts joined, binary parts summarised
 * (the model cannot read base64 usefully), structured content as JSON when there is nothing else.
 */
export function resultText(result: CallToolResult): { text: string; truncated: boolean } {
  const parts = (result.content ?? []).map(blockText);
  if (parts.length === 0 && result.structuredContent !== undefined) {
    parts.push(JSON.stringify(result.structuredContent));
  }
  const text = parts.length > 0 ? parts.join('\n') : '(the tool returned no content)';
  return truncateText(
    text,
    MAX_MCP_OUTPUT_BYTES,
    `Output truncated at ${formatBytes(MAX_MCP_OUTPUT_BYTES)}: ask the tool for less.`,
  );
}
