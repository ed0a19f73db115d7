import { evaluate, type PermissionRule, shellSegments } from '@aura/engine';

/** The first simple command of `command` that a rule denies for `exec`, if any. */
export function deniedCommand(rules: PermissionRule[], command: string): string | undefined {
  return shellSegments(command).find((segment) => evaluate(rules, 'exec', segment) === 'deny');
}
