import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateText, Output, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadScript } from './script-schema.ts';
import { createScriptedModel } from './scripted.ts';

describe('scripted model', () => {
  it('answers a structured-output call with the step object', async () => {
    const model = createScriptedModel(
      { steps: [{ object: { phases: [{ name: 'UI', files: ['App.tsx'] }] } }] },
      'script:t',
    );
    const result = await generateText({
      model,
      prompt: 'plan',
      output: Output.object({
        schema: z.object({ phases: z.array(z.object({ name: z.string(), files: z.array(z.string()) })) }),
      }),
    });
    expect(result.output).toEqual({ phases: [{ name: 'UI', files: ['App.tsx'] }] });
  });

  it('streams text in chunks of the given size', async () => {
    const model = createScriptedModel({ steps: [{ text: 'abcdefghij', chunkSize: 3 }] }, 'script:t');
    const deltas: string[] = [];
    for await (const part of streamText({ model, prompt: 'x' }).fullStream) {
      if (part.type === 'text-delta') deltas.push(part.text);
    }
    expect(deltas).toEqual(['abc', 'def', 'ghi', 'j']);
  });

  it('reports the step usage it was given', async () => {
    const model = createScriptedModel(
      { steps: [{ text: 'ok', usage: { input: 42, output: 7 } }] },
      'script:t',
    );
    const result = await generateText({ model, prompt: 'x' });
    expect(result.usage.inputTokens).toBe(42);
    expect(result.usage.outputTokens).toBe(7);
  });
});

describe('loadScript', () => {
  it('names the file and the step for a schema error, and rejects empty scripts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aura-script-'));
    const file = join(dir, 's.json');
    await writeFile(file, JSON.stringify({ steps: [{ text: 'ok' }, { tools: [{ input: {} }] }] }));
    await expect(loadScript(file)).rejects.toThrow(/steps\.1\.tools\.0\.name/);
    await writeFile(file, JSON.stringify({ steps: [] }));
    await expect(loadScript(file)).rejects.toThrow(/at least one step/);
    await writeFile(file, JSON.stringify({ steps: [{ txet: 'typo' }] }));
    await expect(loadScript(file)).rejects.toThrow(/txet/);
  });
});
