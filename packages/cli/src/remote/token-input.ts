/** Tokens are about 52 characters; anything much longer on stdin is not one. */
const MAX_TOKEN_INPUT = 4096;

/** The token piped to `--token-stdin`: the whole input, trimmed. */
export async function readTokenFromStdin(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.length > MAX_TOKEN_INPUT) break;
  }
  return text.trim();
}

/** Ctrl-C at a prompt. */
export class PromptCancelled extends Error {
  override name = 'PromptCancelled';
}

/**
 * Asks for a secret on a terminal without echoing it (raw mode, like `sudo`): Enter finishes,
 * Backspace edits, Ctrl-C cancels, Ctrl-U clears; escape sequences and control keys are ignored.
 */
export function promptHidden(question: string, input: NodeJS.ReadStream, output: NodeJS.WritableStream) {
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(value.trim());
    };
    const onData = (data: Buffer | string) => {
      const text = (typeof data === 'string' ? data : data.toString('utf8')).replace(
        /\u001b\[[0-9;?]*[ -/]*[@-~]/g,
        '',
      );
      for (const char of text) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new PromptCancelled('Cancelled.'));
        if (char === '\u0004' && value === '') return finish(new PromptCancelled('Cancelled.'));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char === '\u0015') value = '';
        else if (char >= ' ' && value.length < MAX_TOKEN_INPUT) value += char;
      }
    };
    // Echo off before the question shows: a token pasted the moment it appears is never echoed.
    input.setRawMode(true);
    output.write(question);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}
