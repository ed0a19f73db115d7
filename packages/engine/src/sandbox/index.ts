export { buildCommandEnv, DEFAULT_COMMAND_ENV, INHERITED_ENV_NAMES, isSecretEnvName } from './env.ts';
export { createLocalSandbox, type LocalSandboxOptions } from './local.ts';
export type { BackgroundProcess, ExecOptions, ExecResult, Sandbox } from './types.ts';
