import { describe, expect, it } from 'vitest';
import { MAX_MCP_OUTPUT_BYTES, resultText } from './content.ts';

describe('resultText', () => {
  it('joins text parts and summarises binary ones by type and size', () => {
    const result = resultText({
      content: [
        { type: 'text', text: 'first' },
        { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
        {
          type: 'resource',
          resource: { uri: 'file:///a.bin', mimeType: 'application/zip', blob: 'AAAAAA==' },
        },
        { type: 'text', text: 'last' },
      ],
    });
    expect(result).toEqual({
      text: 'first\n[audio: audio/wav, 3 B]\n[resource: file:///a.bin, application/zip, 4 B]\nlast',
      truncated: false,
    });
  });

  it('shows structured content when there is no other content', () => {
    expect(resultText({ content: [], structuredContent: { sum: 3 } }).text).toBe('{"sum":3}');
    expect(resultText({ content: [] }).text).toBe('(the tool returned no content)');
  });

  it('caps what the model reads and says how to get less', () => {
    const result = resultText({ content: [{ type: 'text', text: 'line\n'.repeat(30_000) }] });
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.text)).toBeLessThan(MAX_MCP_OUTPUT_BYTES + 200);
    expect(result.text).toMatch(/\[Output truncated at 50\.0 KB: ask the tool for less\.\]$/);
  });
});
