import { builtinToolNames, toolInputSchemas } from '@aura/protocol';
import { describe, expect, it } from 'vitest';
import { builtinTools, toolByName } from './registry.ts';

describe('registry', () => {
  it('offers every protocol tool, web_search only when enabled', () => {
    expect(builtinTools({ webSearch: true }).map((tool) => tool.name)).toEqual(builtinToolNames);
    expect(builtinTools({}).map((tool) => tool.name)).toEqual(
      builtinToolNames.filter((name) => name !== 'web_search'),
    );
    expect(toolByName('web_search')).toBeUndefined();
    expect(toolByName('web_search', { webSearch: true })?.name).toBe('web_search');
    expect(toolByName('nope')).toBeUndefined();
  });

  it('uses the protocol input schemas and has model-oriented descriptions', () => {
    for (const tool of builtinTools({ webSearch: true })) {
      expect(tool.inputSchema).toBe(toolInputSchemas[tool.name as keyof typeof toolInputSchemas]);
      expect(tool.description.length).toBeGreaterThan(80);
    }
  });

  it('exposes what permission rules match against', () => {
    const subject = (name: string, input: unknown) => toolByName(name, { webSearch: true })!.subject(input);
    expect(subject('read', { path: 'src/a.ts' })).toBe('src/a.ts');
    expect(subject('write', { path: 'b.ts', content: '' })).toBe('b.ts');
    expect(subject('edit', { path: 'c.ts', old_string: 'a', new_string: 'b' })).toBe('c.ts');
    expect(subject('delete', { path: 'd' })).toBe('d');
    expect(subject('move', { from: 'e', to: 'f' })).toBe('e');
    expect(subject('list', {})).toBe('.');
    expect(subject('glob', { pattern: '**/*.ts' })).toBe('**/*.ts');
    expect(subject('grep', { pattern: 'x', path: 'src' })).toBe('src');
    expect(subject('exec', { command: 'npm test' })).toBe('npm test');
    expect(subject('web_fetch', { url: 'https://example.com' })).toBe('https://example.com');
    expect(subject('web_search', { query: 'zod' })).toBe('zod');
    expect(subject('codebase_search', { query: 'sessions' })).toBe('sessions');
    expect(subject('apply_patch', { patch: '--- a/x.ts\n+++ b/x.ts\n' })).toBe('x.ts');
  });

  it('marks read-only tools', () => {
    const readOnly = builtinTools({ webSearch: true })
      .filter((tool) => tool.readOnly)
      .map((tool) => tool.name);
    expect(readOnly).toEqual([
      'read',
      'list',
      'glob',
      'grep',
      'web_fetch',
      'web_search',
      'codebase_search',
      'todo',
    ]);
  });
});
