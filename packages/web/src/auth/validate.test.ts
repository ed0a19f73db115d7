import { describe, expect, it } from 'vitest';
import { hasErrors, validateEmail, validateNewPassword } from './validate.ts';

describe('auth form validation', () => {
  it('asks for a plausible email address', () => {
    expect(validateEmail('')).toBe('Enter your email address.');
    expect(validateEmail('dora')).toMatch(/like name@example.com/);
    expect(validateEmail(' dora@example.test ')).toBeUndefined();
  });

  it('holds new passwords to the server limits', () => {
    expect(validateNewPassword('short')).toBe('Use at least 8 characters.');
    expect(validateNewPassword('x'.repeat(257))).toBe('Use at most 256 characters.');
    expect(validateNewPassword('correct horse')).toBeUndefined();
  });

  it('tells whether any field has an error', () => {
    expect(hasErrors({ email: undefined })).toBe(false);
    expect(hasErrors({ email: 'x' })).toBe(true);
  });
});
