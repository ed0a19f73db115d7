import { describe, expect, it } from 'vitest';
import { scrubSecrets } from './log-scrub.ts';

const openAiKey = 'sk-proj-Zx81kQ0aPq7LmN3vB5cD';
const auraToken = 'aura_pat_Qm4Jx9KpL2vR8sT1uW6yZ0aB3cD5eF7gH9iJ1kL3mN5';

describe('secret scrubbing', () => {
  it.each([
    [`calling with ${openAiKey}`, 'calling with sk-[redacted]'],
    [`token ${auraToken} rejected`, 'token aura_pat_[redacted] rejected'],
    ['Authorization: Bearer abc.def-123', 'Authorization: Bearer [redacted]'],
    ['basic auth: Basic dXNlcjpwYXNz', 'basic auth: Basic [redacted]'],
    ['fetch https://user:hunter2@example.com/x', 'fetch https://[redacted]@example.com/x'],
    ['GitHub ghp_0123456789abcdefghij0123', 'GitHub gh_[redacted]'],
    [
      'the words sk-short, task-runner-service and Bearer tokens stay',
      'the words sk-short, task-runner-service and Bearer tokens stay',
    ],
  ])('%s', (input, output) => {
    expect(scrubSecrets(input)).toBe(output);
  });

  it('keeps a JSON line valid', () => {
    const line = JSON.stringify({ msg: `key "${openAiKey}"\n\tBearer ${auraToken}`, n: 1 });
    expect(JSON.parse(scrubSecrets(line))).toEqual({ msg: 'key "sk-[redacted]"\n\tBearer [redacted]', n: 1 });
  });
});
