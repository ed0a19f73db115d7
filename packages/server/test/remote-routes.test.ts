import { saveRule } from '@aura/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  backendNames,
  createProject,
  createSession,
  eventLog,
  listMessages,
  type ProjectBody,
  runTurn,
  signUp,
  startTestServer,
  type TestServer,
  type TestUser,
  until,
  waitForIdle,
  writeScript,
} from './helpers.ts';

/** The routes the terminal client's remote mode needs: set a model, compact, revoke its own token, `!cmd` under deny rules. */
describe.each(backendNames)('remote-mode routes on %s', (backend) => {
  let server: TestServer;
  let alice: TestUser;
  let project: ProjectBody;

  beforeAll(async () => {
    server = await startTestServer(backend);
    alice = await signUp(server, 'Remote');
    project = await createProject(alice, 'remote routes');
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('PATCH /api/sessions/:id', () => {
    it("sets the model the session's next run uses", async () => {
      const session = await createSession(alice, project.id);
      const model = await writeScript(server.dataDir, [{ text: 'from the patched model' }]);
      const patched = await api<{ model: string }>(alice, 'PATCH', `/api/sessions/${session.id}`, { model });
      expect(patched.status).toBe(200);
      expect(patched.body.model).toBe(model);
      const posted = await api(alice, 'POST', `/api/sessions/${session.id}/messages`, { text: 'hi' });
      expect(posted.status).toBe(202);
      await waitForIdle(alice, session.id);
      const started = (await eventLog(server, session.id)).find((e) => e.type === 'run_started');
      expect(started?.data).toMatchObject({ model });
    });

    it('refuses a model that cannot be resolved, and wrong types, changing nothing', async () => {
      const session = await createSession(alice, project.id, { model: 'openai/gpt-5' });
      const unknown = await api<{ error: { code: string; message: string } }>(
        alice,
        'PATCH',
        `/api/sessions/${session.id}`,
        { model: 'nosuchprovider/model' },
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.code).toBe('invalid_model');
      expect(unknown.body.error.message).toContain('nosuchprovider');
      const missingScript = await api<{ error: { code: string } }>(
        alice,
        'PATCH',
        `/api/sessions/${session.id}`,
        {
          model: `script:${server.dataDir}/no-such-script.json`,
        },
      );
      expect(missingScript.status).toBe(400);
      for (const body of [{}, { model: 42 }, { model: '' }]) {
        const bad = await api<{ error: { code: string; issues: { path: string }[] } }>(
          alice,
          'PATCH',
          `/api/sessions/${session.id}`,
          body,
        );
        expect(bad.status).toBe(400);
        expect(bad.body.error.issues?.[0]?.path).toBe('model');
      }
      const after = await api<{ model: string }>(alice, 'GET', `/api/sessions/${session.id}`);
      expect(after.body.model).toBe('openai/gpt-5');
    });
  });

  describe('POST /api/sessions/:id/compact', () => {
    it('prunes old tool outputs from what the model is sent next, keeping recent turns', async () => {
      const big = `${'a line of a large file\n'.repeat(400)}`;
      expect(
        (await api(alice, 'PUT', `/api/projects/${project.id}/files/big.txt`, { content: big })).status,
      ).toBe(200);
      const session = await createSession(alice, project.id);
      const reader = await writeScript(server.dataDir, [
        { tools: [{ name: 'read', input: { path: 'big.txt' } }] },
        { text: 'Read it.' },
      ]);
      await runTurn(alice, session.id, 'read big.txt', reader);
      for (const text of ['second', 'third']) {
        await runTurn(alice, session.id, text, await writeScript(server.dataDir, [{ text: `ok ${text}` }]));
      }
      const compacted = await api<{ prunedToolOutputs: number; tokensBefore: number; tokensAfter: number }>(
        alice,
        'POST',
        `/api/sessions/${session.id}/compact`,
      );
      expect(compacted.status).toBe(200);
      expect(compacted.body.prunedToolOutputs).toBe(1);
      expect(compacted.body.tokensAfter).toBeLessThan(compacted.body.tokensBefore);
      const tool = (await listMessages(alice, session.id))
        .flatMap((message) => message.parts)
        .find((part) => part.type === 'tool');
      expect(tool?.type === 'tool' && tool.output).not.toContain('a line of a large file');
      // Clients watching the session (the web IDE) hear about it.
      const announced = (await eventLog(server, session.id)).filter((e) => e.type === 'context_compacted');
      expect(announced.map((e) => e.data)).toEqual([
        { prunedToolOutputs: 1, estimatedTokensBefore: compacted.body.tokensBefore },
      ]);
      const again = await api<{ prunedToolOutputs: number }>(
        alice,
        'POST',
        `/api/sessions/${session.id}/compact`,
      );
      expect(again.body.prunedToolOutputs).toBe(0);
    });

    it('refuses with 409 while a run is in progress', async () => {
      const session = await createSession(alice, project.id);
      const asks = await writeScript(server.dataDir, [
        { tools: [{ name: 'exec', input: { command: 'echo waiting' } }] },
        { text: 'done' },
      ]);
      await api(alice, 'POST', `/api/sessions/${session.id}/messages`, { text: 'run it', model: asks });
      const log = await until(
        'the permission request',
        () => eventLog(server, session.id),
        (events) => events.some((e) => e.type === 'permission_request'),
      );
      const refused = await api<{ error: { code: string } }>(
        alice,
        'POST',
        `/api/sessions/${session.id}/compact`,
      );
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('run_active');
      const request = log.find((e) => e.type === 'permission_request');
      if (request?.type !== 'permission_request') throw new Error('no permission request');
      await api(alice, 'POST', `/api/sessions/${session.id}/permissions/${request.data.requestId}`, {
        reply: 'reject',
      });
      await waitForIdle(alice, session.id);
    });
  });

  describe('POST /api/projects/:id/exec under the permission rules', () => {
    it("refuses a command a deny rule covers (any part of it) and runs nothing; runs what the rules don't deny", async () => {
      const denied = await createProject(alice, 'deny rules');
      const record = await server.server.context.store.getProject(denied.id);
      if (!record) throw new Error('no project');
      await saveRule(server.server.context.store, record.workspace, {
        tool: 'exec',
        pattern: 'touch *',
        action: 'deny',
      });
      for (const command of ['touch made.txt', 'echo hi && touch made.txt', 'echo $(touch made.txt)']) {
        const refused = await api<{ error: { code: string; message: string } }>(
          alice,
          'POST',
          `/api/projects/${denied.id}/exec`,
          { command },
        );
        expect(refused.status, command).toBe(403);
        expect(refused.body.error.code).toBe('permission_denied');
        expect(refused.body.error.message).toContain('"touch made.txt"');
      }
      const tree = await api<{ entries: { path: string }[] }>(
        alice,
        'GET',
        `/api/projects/${denied.id}/files`,
      );
      expect(tree.body.entries.map((e) => e.path)).not.toContain('made.txt');
      const allowed = await api<{ exitCode: number; stdout: string }>(
        alice,
        'POST',
        `/api/projects/${denied.id}/exec`,
        {
          command: 'echo allowed',
        },
      );
      expect(allowed.status).toBe(200);
      expect(allowed.body).toMatchObject({ exitCode: 0, stdout: 'allowed\n' });
    });
  });

  describe('DELETE /api/me/token', () => {
    it('revokes only the token the request carries', async () => {
      const bob = await signUp(server, 'Leaver');
      const second = await api<{ token: string }>(
        bob,
        'POST',
        '/api/tokens',
        { name: 'second' },
        { via: 'cookie' },
      );
      expect(second.status).toBe(201);
      expect((await api(bob, 'DELETE', '/api/me/token')).status).toBe(204);
      const after = await api<{ error: { code: string } }>(bob, 'GET', '/api/me');
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('unauthorized');
      expect((await api({ server, token: second.body.token }, 'GET', '/api/me')).status).toBe(200);
      const tokens = await api<{ items: { name: string }[] }>(bob, 'GET', '/api/tokens', undefined, {
        via: 'cookie',
      });
      expect(tokens.body.items.map((t) => t.name)).toEqual(['second']);
    });

    it('refuses a cookie session (it has no token to revoke) and leaves its tokens alone', async () => {
      const carol = await signUp(server, 'Cookie');
      const refused = await api<{ error: { code: string } }>(carol, 'DELETE', '/api/me/token', undefined, {
        via: 'cookie',
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('not_token_auth');
      expect((await api(carol, 'GET', '/api/me')).status).toBe(200);
    });
  });
});
