import type { Command } from '@aura/protocol';
import type { ServerContext } from '../context.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { ownedProject } from '../http/ownership.ts';
import type { RunInput } from '../runs/manager.ts';
import type { TerminalClient } from '../terminals/client.ts';
import { type ControlFrame, withId } from './ws-frames.ts';

export interface CommandScope {
  ctx: ServerContext;
  userId: string;
  sessionId: string;
}

/** A command's view of its socket: the session and project it is bound to, and the socket itself. */
export interface SocketScope extends CommandScope {
  projectId: string;
  /** Terminals opened on this socket belong to it. */
  terminals: TerminalClient;
}

/** Every command but `resume`, which moves the connection's own event cursor. */
export type SessionCommand = Exclude<Command, { type: 'resume' }>;

/**
 * Runs one command against the socket's session and returns the reply, if any. Failures are
 * thrown as HttpError; the connection turns them into `error` frames.
 */
export async function runCommand(
  scope: SocketScope,
  command: SessionCommand,
): Promise<ControlFrame | undefined> {
  const { ctx, sessionId } = scope;
  switch (command.type) {
    case 'send':
      return ack(command.id, await startRun(scope, command.data));
    case 'generate':
      return ack(
        command.id,
        await startRun(scope, { text: command.data.description, model: command.data.model, mode: 'build' }),
      );
    case 'cancel':
      if (!ctx.runs.cancel(sessionId))
        throw new HttpError(409, 'no_active_run', 'This session has no run in progress.');
      return ack(command.id, { cancelling: true });
    case 'get_state': {
      const session = await currentSession(scope);
      return {
        type: 'state',
        ...withId(command.id),
        data: { state: session.state, running: ctx.runs.isActive(session.id), lastSeq: session.lastSeq },
      };
    }
    case 'permission_reply': {
      const { requestId, reply, message } = command.data;
      const answer = message === undefined ? { reply } : { reply, message };
      if (!ctx.runs.replyPermission(sessionId, requestId, answer)) throw notFound('Permission request');
      return ack(command.id, { requestId, reply });
    }
    case 'terminal_open': {
      if (command.id === undefined) {
        throw new HttpError(
          400,
          'invalid_command',
          'terminal_open needs an "id": its ack carries the terminalId.',
        );
      }
      const project = await ownedProject(ctx, scope.userId, scope.projectId);
      const terminalId = await ctx.terminals.open({
        userId: scope.userId,
        client: scope.terminals,
        projectId: project.id,
        workspace: project.workspace,
        ...command.data,
      });
      return ack(command.id, { terminalId });
    }
    case 'terminal_input':
      ctx.terminals.write(terminalOwner(scope), command.data.terminalId, command.data.data);
      return ack(command.id, { terminalId: command.data.terminalId });
    case 'terminal_resize': {
      const { terminalId, cols, rows } = command.data;
      ctx.terminals.resize(terminalOwner(scope), terminalId, cols, rows);
      return ack(command.id, { terminalId, cols, rows });
    }
    case 'terminal_close':
      ctx.terminals.close(terminalOwner(scope), command.data.terminalId);
      return ack(command.id, { terminalId: command.data.terminalId });
    case 'ping':
      return { type: 'pong', ...withId(command.id) };
  }
}

const terminalOwner = (scope: SocketScope) => ({ userId: scope.userId, client: scope.terminals });

async function startRun(scope: CommandScope, input: RunInput): Promise<Record<string, unknown>> {
  scope.ctx.limits.runStarts.take(scope.userId, 'runs started');
  const session = await currentSession(scope);
  const { runId } = await scope.ctx.runs.start(session, scope.userId, input);
  return { sessionId: session.id, runId };
}

/** Read again for every command: state, model and lastSeq change while the socket is open. */
async function currentSession(scope: CommandScope) {
  const session = await scope.ctx.store.getSession(scope.sessionId);
  if (!session) throw notFound('Session');
  return session;
}

function ack(id: string | undefined, data: Record<string, unknown>): ControlFrame | undefined {
  return id === undefined ? undefined : { type: 'ack', id, data };
}
