export type FieldErrors<K extends string> = Partial<Record<K, string>>;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Matches the server's Better Auth settings (8–256 characters). */
export const passwordLimits = { min: 8, max: 256 };

export function validateEmail(email: string): string | undefined {
  if (!email.trim()) return 'Enter your email address.';
  if (!emailPattern.test(email.trim())) return 'Enter an email address like name@example.com.';
  return undefined;
}

export function validateNewPassword(password: string): string | undefined {
  if (password.length < passwordLimits.min) return `Use at least ${passwordLimits.min} characters.`;
  if (password.length > passwordLimits.max) return `Use at most ${passwordLimits.max} characters.`;
  return undefined;
}

export function hasErrors<K extends string>(errors: FieldErrors<K>): boolean {
  return Object.values(errors).some(Boolean);
}
