export { type CompactSessionResult, compactAndAnnounce, compactSession } from './compact-session.ts';
export { compactToolOutputs, estimateTokens } from './compaction.ts';
export { toModelMessages } from './history.ts';
export type { AgentRun, RunResult, StartRunOptions } from './run.ts';
export { defaultMaxSteps, startRun } from './run.ts';
export { loadSavedRules, saveRule, workspaceRules } from './saved-rules.ts';
export { StuckDetector } from './stuck.ts';
export { buildSystemPrompt } from './system-prompt.ts';
export { titleFromText } from './title.ts';
