import { mkdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, type Store, sqliteFile } from '@aura/engine';
import { parseEnvelope } from '@aura/protocol';
import { spawn as spawnPty } from '@lydell/node-pty';
import { describe, expect, it } from 'vitest';
import { auraBin, type CliEnv, cleanEnv, runAura, writeScript } from './cli-helpers.ts';

/** Runs aura on a terminal, typing `answer` once `prompt` appears; resolves with the screen text. */
function runAuraOnTerminal(
  args: string[],
  env: NodeJS.ProcessEnv,
  prompt: string,
  answer: string,
): Promise<{ code: number; screen: string }> {
  return new Promise((resolve) => {
    const pty = spawnPty(process.execPath, [auraBin, ...args], {
      env: env as Record<string, string>,
      cols: 120,
      rows: 30,
    });
    let screen = '';
    let answered = false;
    pty.onData((chunk) => {
      screen += chunk;
      if (!answered && screen.includes(prompt)) {
        answered = true;
        pty.write(answer);
      }
    });
    pty.onExit(({ exitCode }) => resolve({ code: exitCode, screen }));
  });
}

async function withStore<T>(ctx: CliEnv, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ sqlitePath: sqliteFile(ctx.data) });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A session with a user message and an answer, straight into the data dir's store. */
async function seed(ctx: CliEnv, title: string, question: string, directory = '/work/seeded') {
  return withStore(ctx, async (store) => {
    const session = await store.createSession({ directory, title, model: 'openai/gpt-5' });
    await store.createMessage({
      sessionId: session.id,
      role: 'user',
      parts: [{ type: 'text', text: question }],
    });
    await store.createMessage({
      sessionId: session.id,
      role: 'assistant',
      parts: [{ type: 'text', text: 'An answer.' }],
    });
    return session;
  });
}

const sessionIds = async (ctx: CliEnv) =>
  JSON.parse(
    (await runAura(['session', 'list', '--format', 'json', '--data', ctx.data], { env: ctx.env })).stdout,
  ).map((s: { id: string }) => s.id);

describe('aura session export and import', () => {
  it('round-trips a real run to another data dir: messages, usage and the event log', async () => {
    const ctx = await cleanEnv();
    const dir = join(ctx.home, 'project');
    const script = await writeScript(ctx.home, [
      { text: 'Writing.', tools: [{ name: 'write', input: { path: 'a.txt', content: 'hi\n' } }] },
      { text: 'Done.' },
    ]);
    const run = await runAura(
      [
        'run',
        'make a file',
        '--model',
        `script:${script}`,
        '--dir',
        dir,
        '--data',
        ctx.data,
        '--format',
        'json',
        '--yes',
      ],
      { env: ctx.env },
    );
    expect(run.code).toBe(0);
    const sessionId = parseEnvelope(JSON.parse(run.stdout.split('\n')[0]!)).sessionId;

    const file = join(ctx.home, 'export.json');
    const exported = await runAura(['session', 'export', sessionId, '--output', file, '--data', ctx.data], {
      env: ctx.env,
    });
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(`Exported session ${sessionId} (2 messages)`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const doc = JSON.parse(await readFile(file, 'utf8'));
    expect(doc).toMatchObject({ format: 'aura-session', version: 1, session: { id: sessionId } });
    expect(doc.events.length).toBeGreaterThan(5);

    const other = { ...ctx, data: join(ctx.home, 'other-data') };
    const imported = await runAura(['session', 'import', file, '--data', other.data], { env: ctx.env });
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`Imported session ${sessionId} "make a file" (2 messages)`);
    expect(imported.stdout).toContain(`aura session resume ${sessionId}`);

    const [before, after] = await Promise.all([
      withStore(ctx, async (s) => ({
        session: await s.getSession(sessionId),
        messages: await s.listMessages(sessionId),
        events: await s.listEvents(sessionId),
      })),
      withStore(other, async (s) => ({
        session: await s.getSession(sessionId),
        messages: await s.listMessages(sessionId),
        events: await s.listEvents(sessionId),
      })),
    ]);
    expect(after).toEqual(before);
    expect(after.session?.usage.steps).toBe(2);
  });

  it('refuses an id that exists unless --new-id, and reads standard input', async () => {
    const ctx = await cleanEnv();
    const session = await seed(ctx, 'Original', 'question one');
    const json = (await runAura(['session', 'export', session.id, '--data', ctx.data], { env: ctx.env }))
      .stdout;

    const again = await runAura(['session', 'import', '-', '--data', ctx.data], {
      env: ctx.env,
      input: json,
    });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`session ${session.id} already exists`);
    expect(again.stderr).toContain('--new-id');

    const copy = await runAura(
      ['session', 'import', '-', '--new-id', '--format', 'json', '--data', ctx.data],
      {
        env: ctx.env,
        input: json,
      },
    );
    expect(copy.code).toBe(0);
    const copied = JSON.parse(copy.stdout);
    expect(copied.id).not.toBe(session.id);
    expect(copied.title).toBe('Original');
    expect((await sessionIds(ctx)).sort()).toEqual([session.id, copied.id].sort());
  });

  it('rebuilds the event log of an export without one, so the web IDE can replay it', async () => {
    const ctx = await cleanEnv();
    const session = await seed(ctx, 'No log', 'question');
    const json = (
      await runAura(['session', 'export', session.id, '--no-events', '--data', ctx.data], { env: ctx.env })
    ).stdout;
    expect(JSON.parse(json).events).toBeUndefined();
    const work = join(ctx.home, 'here');
    await mkdir(work);
    const copy = await runAura(
      ['session', 'import', '-', '--new-id', '--dir', work, '--format', 'json', '--data', ctx.data],
      { env: ctx.env, input: json },
    );
    const id = JSON.parse(copy.stdout).id as string;
    expect(JSON.parse(copy.stdout).directory).toBe(work);
    const types = await withStore(ctx, async (s) => (await s.listEvents(id)).map((e) => e.type));
    expect(types).toEqual(['message_user', 'message_start', 'text_delta', 'message_done']);
  });

  it('exports readable Markdown', async () => {
    const ctx = await cleanEnv();
    const session = await seed(ctx, 'Readable', 'what is up');
    const md = await runAura(['session', 'export', session.id, '--format', 'md', '--data', ctx.data], {
      env: ctx.env,
    });
    expect(md.stdout).toMatch(/^# Readable\n/);
    expect(md.stdout).toContain('## User\n\nwhat is up');
    expect(md.stdout).toContain('## Assistant');
  });

  describe('refuses bad imports with a clear message and imports nothing', () => {
    const valid = {
      format: 'aura-session',
      version: 1,
      session: {
        id: 'ses_imported',
        title: 't',
        directory: '/work/x',
        model: null,
        mode: 'chat',
        state: 'IDLE',
        createdAt: 1,
        updatedAt: 1,
      },
      messages: [],
    };
    const cases: [string, string, RegExp][] = [
      ['not JSON', '{"format": "aura-session",', /is not JSON/],
      ['a JSON array', '[]', /expected a JSON object/],
      [
        'another format',
        JSON.stringify({ ...valid, format: 'other' }),
        /"format": "other", expected "aura-session"/,
      ],
      ['a newer version', JSON.stringify({ ...valid, version: 7 }), /unsupported session export version 7/],
      [
        'a bad field',
        JSON.stringify({ ...valid, messages: [{ id: 'm', role: 'robot' }] }),
        /messages\[0\]\.role:/,
      ],
      [
        'a relative workspace',
        JSON.stringify({ ...valid, session: { ...valid.session, directory: '../../etc' } }),
        /not an absolute path; pass the workspace to use with --dir/,
      ],
    ];
    it.each(cases)('%s', async (_what, body, message) => {
      const ctx = await cleanEnv();
      const file = join(ctx.home, 'bad.json');
      await writeFile(file, body);
      const result = await runAura(['session', 'import', file, '--data', ctx.data], { env: ctx.env });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(await sessionIds(ctx)).toEqual([]);
    });

    it('a missing file, a directory, a file over 50 MB and no file at all', async () => {
      const ctx = await cleanEnv();
      const big = join(ctx.home, 'big.json');
      await writeFile(big, '');
      await truncate(big, 51 * 1024 * 1024);
      const attempts: [string[], RegExp][] = [
        [['nope.json'], /cannot read nope\.json: no such file/],
        [[ctx.home], /it is a directory/],
        [[big], /larger than 50 MB/],
        [[], /a file to import is required/],
      ];
      for (const [args, message] of attempts) {
        const result = await runAura(['session', 'import', ...args, '--data', ctx.data], { env: ctx.env });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(message);
      }
    });
  });
});

describe('aura session delete', () => {
  it('needs --yes without a terminal, then deletes the session with its messages and events', async () => {
    const ctx = await cleanEnv();
    const session = await seed(ctx, 'Doomed', 'bye');
    await withStore(ctx, (s) => s.appendEvent(session.id, { type: 'session_updated', data: { title: 'x' } }));

    const refused = await runAura(['session', 'delete', session.id, '--data', ctx.data], { env: ctx.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Pass --yes');
    expect(await sessionIds(ctx)).toEqual([session.id]);

    const deleted = await runAura(['session', 'delete', session.id, '--yes', '--data', ctx.data], {
      env: ctx.env,
    });
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain(`Deleted session ${session.id}`);
    const left = await withStore(ctx, async (s) => ({
      messages: await s.listMessages(session.id),
      events: await s.listEvents(session.id),
    }));
    expect(left).toEqual({ messages: [], events: [] });

    const missing = await runAura(['session', 'delete', session.id, '--yes', '--data', ctx.data], {
      env: ctx.env,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('not found');
  });

  it('asks on a terminal: "n" keeps the session, "y" deletes it', async () => {
    const ctx = await cleanEnv();
    const session = await seed(ctx, 'Asked', 'hello');
    const kept = await runAuraOnTerminal(
      ['session', 'delete', session.id, '--data', ctx.data],
      ctx.env,
      '[y/N]',
      'n\r',
    );
    expect(kept.code).toBe(0);
    expect(kept.screen).toContain(`Delete session ${session.id}`);
    expect(kept.screen).toContain('Asked');
    expect(kept.screen).toContain('Nothing deleted.');
    expect(await sessionIds(ctx)).toEqual([session.id]);

    const gone = await runAuraOnTerminal(
      ['session', 'delete', session.id, '--data', ctx.data],
      ctx.env,
      '[y/N]',
      'y\r',
    );
    expect(gone.code).toBe(0);
    expect(gone.screen).toContain(`Deleted session ${session.id}`);
    expect(await sessionIds(ctx)).toEqual([]);
  });
});

describe('aura session search and list', () => {
  it('finds sessions by message text with a snippet and by title; wildcards are literal', async () => {
    const ctx = await cleanEnv();
    const byText = await seed(ctx, 'Refactor', 'please fix the flaky_login test in auth.spec.ts today');
    const byTitle = await seed(ctx, 'Flaky_login investigation', 'look at it');
    await seed(ctx, 'Unrelated', 'flakyXlogin is not a match');

    const found = await runAura(['session', 'search', 'FLAKY_LOGIN', '--data', ctx.data], { env: ctx.env });
    expect(found.code).toBe(0);
    const lines = found.stdout.trimEnd().split('\n');
    expect(
      lines
        .filter((l) => l.startsWith('ses_'))
        .map((l) => l.split('  ')[0])
        .sort(),
    ).toEqual([byText.id, byTitle.id].sort());
    const textHit = lines.findIndex((l) => l.startsWith(byText.id));
    expect(lines[textHit]).toMatch(/^ses_\S+ {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}Refactor$/);
    expect(lines[textHit + 1]).toBe('    please fix the flaky_login test in auth.spec.ts today');

    const json = JSON.parse(
      (
        await runAura(['session', 'search', 'auth.spec', '--format', 'json', '--data', ctx.data], {
          env: ctx.env,
        })
      ).stdout,
    );
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({
      session: { id: byText.id },
      snippet: expect.stringContaining('auth.spec'),
    });

    const none = await runAura(['session', 'search', 'flaky%login', '--data', ctx.data], { env: ctx.env });
    expect(none.stdout).toContain('No session title or message contains "flaky%login"');
    const noQuery = await runAura(['session', 'search', '--data', ctx.data], { env: ctx.env });
    expect(noQuery.code).toBe(2);
  });

  it('lists the sessions of one workspace with --dir', async () => {
    const ctx = await cleanEnv();
    const mine = join(ctx.home, 'mine');
    await mkdir(mine);
    const here = await seed(ctx, 'Here', 'q', mine);
    await seed(ctx, 'Elsewhere', 'q', '/work/elsewhere');
    const listed = await runAura(['session', 'list', '--dir', mine, '--data', ctx.data], { env: ctx.env });
    expect(listed.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${here.id} .* Here {2}${mine}$`)),
    ]);
    const empty = await runAura(['session', 'list', '--dir', join(ctx.home, 'nothing'), '--data', ctx.data], {
      env: ctx.env,
    });
    expect(empty.stdout).toContain('No sessions in');
  });

  it('shows usage errors with exit code 2', async () => {
    const ctx = await cleanEnv();
    const attempts: [string[], RegExp][] = [
      [['session', 'frobnicate'], /unknown session command "frobnicate"/],
      [['session', 'show'], /a session id is required/],
      [['session', 'show', 'ses_missing'], /session ses_missing not found/],
      [['session', 'list', '--limit', '0'], /--limit must be a positive whole number/],
      [['session', 'export', 'x', '--format', 'xml'], /--format must be one of json, md/],
      [['session', 'resume'], /a session id is required/],
    ];
    for (const [args, message] of attempts) {
      const result = await runAura([...args, '--data', ctx.data], { env: ctx.env });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const help = await runAura(['session', '--help'], { env: ctx.env });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('aura session search QUERY');
  });
});
