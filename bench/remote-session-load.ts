// Loading a 1,000-message session in remote mode (budget ≤ 50 ms): what `aura chat --server URL
// --session ID` does to show one — RemoteChatBackend.messages() over REST on loopback, and the whole
// open (project, session, then messages) — against a real server on SQLite.
import { openRemoteChat } from '../packages/cli/src/chat/remote.ts';
import { createProject, createSession, signUp, startTestServer } from '../packages/server/test/helpers.ts';
import { sampleLoads, seedMessages } from './session-fixture.ts';
import { printTable } from './table.ts';

const server = await startTestServer('sqlite');
try {
  const user = await signUp(server, 'Bench');
  const project = await createProject(user, 'bench');
  const session = await createSession(user, project.id);
  await seedMessages(server.server.context.store, session.id);

  const open = () => openRemoteChat({ server: server.url, token: user.token, sessionId: session.id });
  const backend = await open();
  const rows = [
    {
      what: 'RemoteChatBackend.messages() (2 pages of 500)',
      ...(await sampleLoads(20, () => backend.messages())),
    },
    {
      what: 'openRemoteChat(session) + messages() + close',
      ...(await sampleLoads(10, async () => {
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
