import type { PermissionRule } from '../config/index.ts';
import { evaluate, literalPattern } from './rules.ts';

export type PermissionReplyKind = 'once' | 'always' | 'reject';

export interface PermissionRequest {
  requestId: string;
  tool: string;
  input: unknown;
  subject: string;
  description: string;
}

export interface PermissionAnswer {
  reply: PermissionReplyKind;
  message?: string;
}

export type PermissionDecision = { allowed: true } | { allowed: false; reason: string };

export interface PermissionGateOptions {
  rules: PermissionRule[];
  /** `yes` approves what would be asked (headless `--yes`); deny rules still hold. `ask` asks. */
  mode: 'ask' | 'yes';
  /** Asks a person. Resolves when they answer; rejects if the run is cancelled meanwhile. */
  ask: (request: PermissionRequest) => Promise<PermissionAnswer>;
  /** Saves an "always" answer so later runs in the same workspace don't ask again. */
  persist?: (rule: PermissionRule) => Promise<void>;
}

let counter = 0;

export class PermissionGate {
  readonly #options: PermissionGateOptions;
  readonly #rules: PermissionRule[];

  constructor(options: PermissionGateOptions) {
    this.#options = options;
    this.#rules = [...options.rules];
  }

  get rules(): readonly PermissionRule[] {
    return this.#rules;
  }

  /**
   * Checks a call that acts on one or more subjects (a move has two paths, a patch several
   * files): any denied subject denies the call, all allowed allows it, otherwise one question.
   */
  async check(tool: string, input: unknown, subjects: string | string[]): Promise<PermissionDecision> {
    const list = typeof subjects === 'string' ? [subjects] : subjects;
    const actions = list.map((subject) => evaluate(this.#rules, tool, subject));
    const denied = list.find((_, i) => actions[i] === 'deny');
    if (denied !== undefined) {
      return {
        allowed: false,
        reason: `Permission denied by a rule: ${tool} is not allowed on "${denied}".`,
      };
    }
    if (this.#options.mode === 'yes') return { allowed: true };
    // A call whose subjects can't be named (an unreadable patch) is never allowed silently.
    if (list.length > 0 && actions.every((action) => action === 'allow')) return { allowed: true };
    const subject = list.length > 0 ? list.join(', ') : '(paths could not be determined)';
    counter += 1;
    const answer = await this.#options.ask({
      requestId: `perm_${Date.now().toString(36)}_${counter}`,
      tool,
      input,
      subject,
      description: describe(tool, subject),
    });
    if (answer.reply === 'reject') {
      const note = answer.message ? ` They said: ${answer.message}` : '';
      return { allowed: false, reason: `The user rejected this ${tool} call.${note}` };
    }
    if (answer.reply === 'always') {
      for (const pattern of list) {
        const rule: PermissionRule = { tool, pattern: literalPattern(pattern), action: 'allow' };
        this.#rules.push(rule);
        await this.#options.persist?.(rule);
      }
    }
    return { allowed: true };
  }
}

function describe(tool: string, subject: string): string {
  switch (tool) {
    case 'exec':
      return `Run the command: ${subject}`;
    case 'web_fetch':
      return `Fetch ${subject}`;
    default:
      return `Use ${tool} on ${subject}`;
  }
}
