import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { signInEmail } from '../api/auth.ts';
import { Link } from '../router/link.tsx';
import { safeRedirect, useLocation, withNext } from '../router/router.ts';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button } from '../ui/button.tsx';
import { Field } from '../ui/field.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { OAuthButtons } from './oauth-buttons.tsx';
import { useSignedIn } from './use-auth.ts';
import { type FieldErrors, hasErrors, validateEmail } from './validate.ts';

export function SignInPage() {
  const { search } = useLocation();
  const next = safeRedirect(search.get('next'));
  const oauthError = search.get('error');
  const signedIn = useSignedIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<'email' | 'password'>>({});
  const signIn = useMutation({
    mutationFn: signInEmail,
    onSuccess: ({ user }) => signedIn(user, next),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = { email: validateEmail(email), password: password ? undefined : 'Enter your password.' };
    setErrors(found);
    if (!hasErrors(found)) signIn.mutate({ email: email.trim(), password });
  };

  return (
    <AuthLayout title="Sign in to Aura">
      <div className="flex flex-col gap-4">
        {oauthError && (
          <ErrorAlert>Signing in with the provider did not work ({oauthError}). Try again.</ErrorAlert>
        )}
        <OAuthButtons next={next} />
        <form className="flex flex-col gap-4" onSubmit={submit} noValidate>
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errors.email}
            autoFocus
          />
          <Field
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
          />
          <ErrorAlert>{errorMessage(signIn.error)}</ErrorAlert>
          <Button type="submit" variant="primary" busy={signIn.isPending}>
            Sign in
          </Button>
        </form>
        <p className="text-center text-sm text-zinc-600 dark:text-zinc-400">
          New to Aura?{' '}
          <Link
            href={withNext('/sign-up', next)}
            className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
          >
            Create an account
          </Link>
        </p>
      </div>
    </AuthLayout>
  );
}
