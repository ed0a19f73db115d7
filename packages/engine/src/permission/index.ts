export type {
  PermissionAnswer,
  PermissionDecision,
  PermissionGateOptions,
  PermissionReplyKind,
  PermissionRequest,
} from './gate.ts';
export { PermissionGate } from './gate.ts';
export type { PermissionAction } from './rules.ts';
export { defaultRules, evaluate, literalPattern, matchesPattern } from './rules.ts';
export { shellSegments } from './shell-segments.ts';
