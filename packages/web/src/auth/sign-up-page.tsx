import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { signUpEmail } from '../api/auth.ts';
import { Link } from '../router/link.tsx';
import { safeRedirect, useLocation, withNext } from '../router/router.ts';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { Field } from '../ui/field.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { OAuthButtons } from './oauth-buttons.tsx';
import { useSignedIn } from './use-auth.ts';
import {
  type FieldErrors,
  hasErrors,
  passwordLimits,
  validateEmail,
  validateNewPassword,
} from './validate.ts';

export function SignUpPage() {
  const { search } = useLocation();
  const next = safeRedirect(search.get('next'));
  const signedIn = useSignedIn();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<'name' | 'email' | 'password'>>({});
  const signUp = useMutation({
    mutationFn: signUpEmail,
    onSuccess: ({ user }) => signedIn(user, next),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = {
      name: name.trim() ? undefined : 'Enter your name.',
      email: validateEmail(email),
      password: validateNewPassword(password),
    };
    setErrors(found);
    if (!hasErrors(found)) signUp.mutate({ name: name.trim(), email: email.trim(), password });
  };

  return (
    <AuthLayout title="Create your Aura account">
      <div className="flex flex-col gap-4">
        <OAuthButtons next={next} />
        <form className="flex flex-col gap-4" onSubmit={submit} noValidate>
          <Field
            label="Name"
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={errors.name}
            autoFocus
          />
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errors.email}
          />
          <Field
            label="Password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
            hint={`At least ${passwordLimits.min} characters.`}
          />
          <ErrorAlert>{errorMessage(signUp.error)}</ErrorAlert>
          <Button type="submit" variant="primary" busy={signUp.isPending}>
            Create account
          </Button>
        </form>
        <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
          Already have an account?{' '}
          <Link
            href={withNext('/sign-in', next)}
            className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
          >
            Sign in
          </Link>
        </p>
      </div>
    </AuthLayout>
  );
}
