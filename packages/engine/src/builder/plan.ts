import type { LanguageModelV4 } from '@ai-sdk/provider';
import { generateText, Output } from 'ai';
import { z } from 'zod';

export const phaseSchema = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(4000),
  files: z.array(z.object({ path: z.string().min(1).max(500), purpose: z.string().max(1000) })).max(50),
  dependencies: z.array(z.string().min(1).max(200)).max(50).default([]),
  commands: z.array(z.string().min(1).max(1000)).max(20).default([]),
});

export const phasePlanSchema = z.object({
  summary: z.string().max(4000),
  phases: z.array(phaseSchema).min(1).max(6),
});

export type Phase = z.infer<typeof phaseSchema>;
export type PhasePlan = z.infer<typeof phasePlanSchema>;

const designInstructions = `You are the architect of a small web app built in phases by a coding agent.
Given the request, the template already in the workspace and its files, produce a plan of 1 to 4
phases. Each phase names the files it creates or changes (with their purpose), the npm packages it
adds (none if the template has them) and commands to run. The first phase must produce a working
app; later phases add features. Keep phases small enough for one focused implementation turn.`;

/** Asks the model for a structured phase plan (the scripted model answers with a step's `object`). */
export async function designPlan(opts: {
  model: LanguageModelV4;
  description: string;
  template: string;
  fileTree: string;
  signal: AbortSignal;
}): Promise<PhasePlan> {
  const result = await generateText({
    model: opts.model,
    maxRetries: 0,
    abortSignal: opts.signal,
    instructions: designInstructions,
    prompt: `Request:\n${opts.description}\n\nTemplate: ${opts.template}\n\nWorkspace files:\n${opts.fileTree}`,
    output: Output.object({ schema: phasePlanSchema }),
  });
  return phasePlanSchema.parse(result.output);
}

export function phaseInstructions(plan: PhasePlan, index: number, template: string): string {
  const phase = plan.phases[index]!;
  const files = phase.files.map((f) => `- ${f.path}: ${f.purpose}`).join('\n');
  return [
    `You are building the app in phases. Overall plan: ${plan.summary}`,
    `Now implement phase ${index + 1} of ${plan.phases.length}: ${phase.name}.`,
    phase.description,
    files ? `Files for this phase:\n${files}` : '',
    `The project uses the ${template} template; keep its structure and its aura.json commands working.`,
    'Write complete files with `write` (or precise `edit`s). Do not start the dev server: the builder runs it after this phase.',
  ]
    .filter(Boolean)
    .join('\n\n');
}
