import { readInstructions, summariseTree } from './workspace-context.ts';

export interface SystemPromptInput {
  workspace: string;
  toolNames: string[];
  now?: Date;
}

export async function buildSystemPrompt(input: SystemPromptInput): Promise<string> {
  const [tree, instructions] = await Promise.all([
    summariseTree(input.workspace),
    readInstructions(input.workspace),
  ]);
  const sections = [
    [
      'You are Aura, an expert software engineer working inside a project workspace.',
      'You plan briefly, then make the change with your tools, then check your work (run the tests or the build when there is one).',
      'All paths are relative to the workspace root; you cannot reach files outside it.',
      'Prefer `edit` for small changes to existing files (old_string must match the file exactly and be unique; include surrounding lines),',
      '`write` for new files or full rewrites, and `apply_patch` for multi-file diffs. Read a file before editing it.',
      'When a tool returns an error, read it and correct the call instead of repeating it unchanged.',
      'Keep answers short: say what you changed and anything the user must do next.',
    ].join('\n'),
    `Available tools: ${input.toolNames.join(', ')}.`,
    `Today is ${(input.now ?? new Date()).toISOString().slice(0, 10)}. Platform: ${process.platform}.`,
    `Workspace files:\n${tree}`,
  ];
  if (instructions) {
    sections.push(`Project instructions from ${instructions.file} (follow them):\n${instructions.text}`);
  }
  return sections.join('\n\n');
}
