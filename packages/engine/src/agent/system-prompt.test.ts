import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSystemPrompt } from './system-prompt.ts';

describe('system prompt', () => {
  it('includes the file tree (skipping node_modules contents), the tools and AGENTS.md', async () => {
    const ws = await mkdtemp(join(tmpdir(), 'aura-prompt-'));
    await mkdir(join(ws, 'src'));
    await writeFile(join(ws, 'src', 'app.ts'), '');
    await mkdir(join(ws, 'node_modules', 'react'), { recursive: true });
    await writeFile(join(ws, 'node_modules', 'react', 'index.js'), '');
    await writeFile(join(ws, 'AGENTS.md'), 'Always use tabs.\n');
    const prompt = await buildSystemPrompt({ workspace: ws, toolNames: ['read', 'edit'] });
    expect(prompt).toContain('src/\n  app.ts');
    expect(prompt).toContain('node_modules/ (not listed)');
    expect(prompt).not.toContain('index.js');
    expect(prompt).toContain('Available tools: read, edit.');
    expect(prompt).toContain('Project instructions from AGENTS.md');
    expect(prompt).toContain('Always use tabs.');
  });

  it('says when the workspace is empty and caps large trees', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'aura-prompt-'));
    expect(await buildSystemPrompt({ workspace: empty, toolNames: [] })).toContain(
      '(the workspace is empty)',
    );
    const big = await mkdtemp(join(tmpdir(), 'aura-prompt-'));
    await Promise.all(Array.from({ length: 250 }, (_, i) => writeFile(join(big, `f${i}.txt`), '')));
    expect(await buildSystemPrompt({ workspace: big, toolNames: [] })).toMatch(
      /listing stopped at 200 entries/,
    );
  });
});
