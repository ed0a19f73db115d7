// Loading a 1,000-message session in remote mode (budget ≤ 50 ms): what `aura chat --server URL
// --session ID` does to show one — RemoteChatBackend.messages() over REST on loopback, and the whole
// open (project, session, then messages) — against a real server on SQLite.
import type { MessagePart } from '@aura/protocol';
import { openRemoteChat } from '../packages/cli/src/chat/remote.ts';
import { createProject, createSession, signUp, startTestServer } from '../packages/server/test/helpers.ts';
import { ms, printTable, stats } from './table.ts';

const server = await startTestServer('sqlite');
try {
  const user = await signUp(server, 'Bench');
  const project = await createProject(user, 'bench');
  const session = await createSession(user, project.id);
  const body = 'Some realistic assistant prose with `code` and a list of steps. '.repeat(6);
  for (let i = 0; i < 1_000; i++) {
    const parts: MessagePart[] =
      i % 2 === 0
        ? [{ type: 'text', text: body }]
        : [
            { type: 'text', text: body },
            {
              type: 'tool',
              toolCallId: `c${i}`,
              tool: 'read',
              input: { path: 'src/app.ts' },
              state: 'completed',
              output: body,
            },
          ];
    await server.server.context.store.createMessage({
      sessionId: session.id,
      role: i % 2 === 0 ? 'user' : 'assistant',
      parts,
    });
  }

  async function sample(times: number, load: () => Promise<{ length: number }>) {
    const samples: number[] = [];
    for (let i = 0; i < times; i++) {
      const start = performance.now();
      const messages = await load();
      samples.push(performance.now() - start);
      if (messages.length !== 1_000) throw new Error(`wrong count: ${messages.length}`);
    }
    const s = stats(samples);
    return { median: ms(s.median), p95: ms(s.p95), max: ms(s.max) };
  }

  const open = () => openRemoteChat({ server: server.url, token: user.token, sessionId: session.id });
  const backend = await open();
  const rows = [
    {
      what: 'RemoteChatBackend.messages() (2 pages of 500)',
      ...(await sample(20, () => backend.messages())),
    },
    {
      what: 'openRemoteChat(session) + messages() + close',
      ...(await sample(10, async () => {
        const opened = await open();
        try {
          return await opened.messages();
        } finally {
          await opened.close();
        }
      })),
    },
  ];
  await backend.close();
  printTable('Loading a 1,000-message session from a server on loopback (20 loads; opening: 10)', rows);
} finally {
  await server.close();
}
