import { type FormEvent, useId, useState } from 'react';
import { Link } from '../router/link.tsx';
import { ErrorAlert, errorMessage } from '../ui/alert.tsx';
import { Button, Spinner } from '../ui/button.tsx';
import { Field, inputClass } from '../ui/field.tsx';
import { Section } from './section.tsx';
import { TokenCreated } from './token-created.tsx';
import { TokenList } from './token-list.tsx';
import { useCreateToken, useTokens } from './use-tokens.ts';
import { validateTokenName } from './validate.ts';

const lifetimes: { days: number | null; label: string }[] = [
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: 'One year' },
  { days: null, label: 'Never' },
];

export function TokensSection() {
  const tokens = useTokens();
  const create = useCreateToken();
  return (
    <Section
      id="tokens"
      title="API tokens"
      description={
        <>
          Personal tokens let the aura terminal client and your scripts act as you. Each is shown once, when
          you create it. Signing in a terminal with{' '}
          <code className="font-mono text-xs">aura auth login --device</code>?{' '}
          <Link href="/device" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Enter its code
          </Link>
          .
        </>
      }
    >
      {create.data ? (
        <TokenCreated created={create.data} onDone={() => create.reset()} />
      ) : (
        <CreateTokenForm create={create} />
      )}
      <ErrorAlert>{errorMessage(tokens.error)}</ErrorAlert>
      {tokens.data ? <TokenList tokens={tokens.data} /> : !tokens.error && <Spinner label="Loading tokens" />}
    </Section>
  );
}

function CreateTokenForm({ create }: { create: ReturnType<typeof useCreateToken> }) {
  const id = useId();
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [problem, setProblem] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const invalid = validateTokenName(name);
    setProblem(invalid);
    if (invalid) return;
    create.mutate({ name: name.trim(), ...(days ? { expiresInDays: Number(days) } : {}) });
  };
  return (
    <form
      onSubmit={submit}
      noValidate
      className="flex flex-col gap-3 rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex flex-wrap items-start gap-3">
        <Field
          label="Token name"
          className="min-w-56 flex-1"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="laptop CLI"
          maxLength={100}
          autoComplete="off"
          error={problem}
        />
        <div className="flex flex-col gap-1.5">
          <label htmlFor={id} className="text-sm font-medium text-zinc-700 dark:text-zinc-300">
            Expires after
          </label>
          <select id={id} value={days} onChange={(e) => setDays(e.target.value)} className={inputClass}>
            {lifetimes.map(({ days: value, label }) => (
              <option key={label} value={value ?? ''}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorAlert>{errorMessage(create.error)}</ErrorAlert>
      <div>
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create token
        </Button>
      </div>
    </form>
  );
}
