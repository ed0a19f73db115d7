export {
  type BwrapLimits,
  type BwrapSandboxOptions,
  createBwrapSandbox,
  DEFAULT_BWRAP_LIMITS,
  SandboxUnavailableError,
} from './bwrap.ts';
export { bwrapArgs, type ExtraBind, INSIDE as SANDBOX_PATHS } from './bwrap-args.ts';
export {
  type CreateSandboxOptions,
  createSandbox,
  type SandboxAvailability,
  type SandboxDriver,
  sandboxAvailability,
  sandboxDriverFromEnv,
} from './create.ts';
export { buildCommandEnv, DEFAULT_COMMAND_ENV, INHERITED_ENV_NAMES, isSecretEnvName } from './env.ts';
export { SANDBOX_USER_NAME, type SandboxUser, sandboxUser } from './host.ts';
export { createLocalSandbox, type LocalSandboxOptions } from './local.ts';
export type {
  BackgroundProcess,
  Endpoint,
  ExecOptions,
  ExecResult,
  PtyOptions,
  PtyProcess,
  Sandbox,
  SandboxDescription,
  SandboxLimit,
} from './types.ts';
