export type EditResult =
  | {
      ok: true;
      content: string;
      replacements: number;
      /** Which matcher found old_string: 'exact', 'line-endings', 'trailing-whitespace', 'indentation', … */
      strategy: string;
    }
  | {
      ok: false;
      /** Written for an LLM to read and retry. */
      error: string;
    };

export interface EditOptions {
  replaceAll?: boolean;
}

export type PatchFileChange =
  | { kind: 'modify'; path: string; content: string }
  | { kind: 'add'; path: string; content: string }
  | { kind: 'delete'; path: string }
  | { kind: 'rename'; from: string; to: string; content: string };

export type PatchResult = { ok: true; changes: PatchFileChange[] } | { ok: false; error: string };

/** Returns a file's content, or undefined when it does not exist. */
export type ReadFile = (path: string) => string | undefined;
