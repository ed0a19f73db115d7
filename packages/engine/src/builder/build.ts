import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventInput, RunStatus, SessionState } from '@aura/protocol';
import type { ModelMessage } from 'ai';
import { toModelMessages } from '../agent/history.ts';
import {
  type AgentRun,
  createRun,
  defaultMaxSteps,
  type RunResult,
  type StartRunOptions,
  setTitle,
} from '../agent/run.ts';
import { titleFromText } from '../agent/title.ts';
import { type PendingPermissions, permissionGateFor, runModelTurn, type TurnContext } from '../agent/turn.ts';
import { summariseTree } from '../agent/workspace-context.ts';
import type { SessionEvents } from '../bus/index.ts';
import { beginTurnCheckpoints } from '../checkpoint/index.ts';
import type { PermissionGate } from '../permission/index.ts';
import { classifyError, redactValues, reliableModel } from '../provider/index.ts';
import { FileStreamer } from './file-stream.ts';
import { designPlan, type PhasePlan, phaseInstructions } from './plan.ts';
import { changedFiles, snapshotFiles } from './snapshot.ts';
import type { BuilderHooks, BuildManifest } from './types.ts';
import { describeProblems, verify } from './verify.ts';

export interface StartBuildOptions extends StartRunOptions {
  hooks: BuilderHooks;
  /** Automatic fix rounds after a failed verification (default 3). */
  fixRounds?: number;
  /** How long VERIFYING waits for an open preview to report runtime errors (default 2 s). */
  verifySettleMs?: number;
}

class BuildFailed extends Error {
  override name = 'BuildFailed';
}

/**
 * App-builder mode: IDLE → DESIGNING_PHASE → IMPLEMENTING_PHASE → INSTALLING_DEPS →
 * STARTING_SERVER → VERIFYING → (next phase | COMPLETE). Each phase's implementation is a normal
 * agent turn with phase instructions; verification problems go back to the model for a bounded
 * number of fix rounds.
 */
export function startBuild(opts: StartBuildOptions): AgentRun {
  return createRun(opts, ({ runId, signal, events, waiting }) =>
    new Builder(opts, runId, signal, events, waiting).run(),
  );
}

class Builder {
  readonly #opts: StartBuildOptions;
  readonly #runId: string;
  readonly #signal: AbortSignal;
  readonly #events: SessionEvents;
  readonly #waiting: PendingPermissions;
  #state: SessionState = 'IDLE';
  #gate: PermissionGate | undefined;
  #steps = 0;
  readonly #written = new Set<string>();

  constructor(
    opts: StartBuildOptions,
    runId: string,
    signal: AbortSignal,
    events: SessionEvents,
    waiting: PendingPermissions,
  ) {
    this.#opts = opts;
    this.#runId = runId;
    this.#signal = signal;
    this.#events = events;
    this.#waiting = waiting;
  }

  #emit = (event: EventInput) => this.#events.emit(event);

  async #setState(state: SessionState): Promise<void> {
    if (state === this.#state) return;
    const previous = this.#state;
    this.#state = state;
    await this.#opts.store.updateSession(this.#opts.sessionId, { state });
    this.#emit({ type: 'state_change', data: { state, previous } });
  }

  async run(): Promise<RunResult> {
    const { store, sessionId, model } = this.#opts;
    const session = await store.getSession(sessionId);
    if (!session) throw new Error(`Session ${sessionId} not found`);
    const user = await store.createMessage({
      sessionId,
      role: 'user',
      parts: [{ type: 'text', text: this.#opts.text }],
    });
    this.#emit({ type: 'message_user', data: { messageId: user.id, text: this.#opts.text } });
    this.#emit({
      type: 'run_started',
      data: {
        runId: this.#runId,
        model: model.id,
        mode: 'build',
        maxSteps: this.#opts.maxSteps ?? defaultMaxSteps,
      },
    });
    if (!session.title) await setTitle(store, sessionId, titleFromText(this.#opts.text), this.#emit);

    const checkpoints =
      this.#opts.checkpoints &&
      (await beginTurnCheckpoints(this.#opts.workspace, this.#opts.checkpoints, this.#emit));
    let status: RunStatus = 'completed';
    let failure: string | undefined;
    try {
      await this.#build();
    } catch (error) {
      if (this.#signal.aborted) status = 'cancelled';
      else {
        status = 'error';
        failure =
          error instanceof BuildFailed
            ? error.message
            : isSystemError(error)
              ? `A file or process operation failed while building: ${error.message}`
              : redactValues(classifyError(error).message, model.secrets);
        this.#emit({
          type: 'error',
          data: { message: failure, kind: error instanceof BuildFailed ? 'build' : undefined },
        });
      }
    }
    await checkpoints?.finish({ sessionId, runId: this.#runId, messageId: user.id }, this.#opts.text, status);
    this.#emit({
      type: 'run_finished',
      data: { runId: this.#runId, status, steps: this.#steps, ...(failure ? { error: failure } : {}) },
    });
    if (status !== 'completed') await this.#setState('IDLE');
    await this.#events.flush();
    return {
      runId: this.#runId,
      messageId: '',
      status,
      steps: this.#steps,
      usage: null,
      text: '',
      ...(failure ? { error: failure } : {}),
    };
  }

  async #build(): Promise<void> {
    const { hooks, workspace } = this.#opts;
    await this.#setState('DESIGNING_PHASE');
    this.#emit({ type: 'phase_designing', data: { phase: 0 } });
    const manifest = await hooks.prepareWorkspace({ description: this.#opts.text, signal: this.#signal });
    const plan = await designPlan({
      model: reliableModel(this.#opts.model),
      description: this.#opts.text,
      template: manifest.name,
      fileTree: await summariseTree(workspace),
      signal: this.#signal,
    });
    this.#steps += 1;
    for (const [index, phase] of plan.phases.entries()) {
      if (index > 0) {
        await this.#setState('DESIGNING_PHASE');
        this.#emit({ type: 'phase_designing', data: { phase: index } });
      }
      this.#emit({
        type: 'phase_designed',
        data: { phase: index, name: phase.name, description: phase.description, files: phase.files },
      });
      await this.#runPhase(plan, index, manifest);
    }
    this.#emit({
      type: 'generation_complete',
      data: { files: [...this.#written].sort(), phases: plan.phases.length },
    });
    await this.#setState('COMPLETE');
  }

  async #runPhase(plan: PhasePlan, index: number, manifest: BuildManifest): Promise<void> {
    const phase = plan.phases[index]!;
    const instructions = phaseInstructions(plan, index, manifest.name);
    await this.#implement(
      instructions,
      index === 0 ? undefined : `Continue with phase ${index + 1}: ${phase.name}.`,
    );
    await this.#install(manifest, phase.dependencies);
    const since = (await this.#opts.store.getSession(this.#opts.sessionId))?.lastSeq ?? 0;
    await this.#setState('STARTING_SERVER');
    const { url } = await this.#opts.hooks.startServer(manifest, this.#signal);
    this.#emit({ type: 'server_started', data: { url } });
    await this.#verifyAndFix(manifest, instructions, since);
  }

  /** One agent turn; the files it changed are reported as `files_written`. */
  async #implement(instructions: string, ask: string | undefined): Promise<void> {
    await this.#setState('IMPLEMENTING_PHASE');
    const before = await snapshotFiles(this.#opts.workspace);
    const streamer = new FileStreamer(this.#emit);
    const history: ModelMessage[] = toModelMessages(
      await this.#opts.store.listMessages(this.#opts.sessionId, { limit: 100_000 }),
    );
    if (ask) history.push({ role: 'user', content: ask });
    const context: TurnContext = {
      ...this.#opts,
      signal: this.#signal,
      emit: this.#emit,
      waiting: this.#waiting,
      setState: (state) => this.#setState(state === 'RUNNING' ? 'IMPLEMENTING_PHASE' : state),
      extraInstructions: instructions,
      onToolInput: (event) => streamer.handle(event),
    };
    // One gate for the whole build, so "always" answers carry over to later phases.
    this.#gate ??= permissionGateFor(context);
    context.gate = this.#gate;
    const outcome = await runModelTurn(context, history, this.#opts.maxSteps ?? defaultMaxSteps);
    this.#steps += outcome.turn?.steps ?? 0;
    if (this.#signal.aborted) throw this.#signal.reason;
    if (outcome.status !== 'completed') {
      throw new BuildFailed(
        outcome.failure ?? `The implementation turn ended with status ${outcome.status}.`,
      );
    }
    const files = changedFiles(before, await snapshotFiles(this.#opts.workspace));
    for (const file of files) this.#written.add(file);
    this.#emit({ type: 'files_written', data: { files } });
  }

  async #install(manifest: BuildManifest, dependencies: string[]): Promise<void> {
    await this.#setState('INSTALLING_DEPS');
    const quoted = dependencies.map((d) => `'${d.replace(/'/g, `'\\''`)}'`).join(' ');
    const needsInstall =
      !existsSync(join(this.#opts.workspace, 'node_modules')) &&
      existsSync(join(this.#opts.workspace, 'package.json'));
    const command =
      dependencies.length > 0
        ? `npm install --no-audit --no-fund ${quoted}`
        : needsInstall
          ? manifest.install
          : undefined;
    const started = performance.now();
    if (command) {
      const result = await this.#opts.sandbox.exec(command, { timeoutMs: 600_000, signal: this.#signal });
      if (result.exitCode !== 0) {
        throw new BuildFailed(
          `Installing dependencies failed (\`${command}\`):\n${result.stderr.slice(-2000) || result.stdout.slice(-2000)}`,
        );
      }
    }
    this.#emit({
      type: 'deps_installed',
      data: { command: command ?? 'none needed', durationMs: Math.round(performance.now() - started) },
    });
  }

  async #verifyAndFix(manifest: BuildManifest, instructions: string, since: number): Promise<void> {
    const rounds = this.#opts.fixRounds ?? 3;
    let sinceSeq = since;
    for (let round = 0; ; round++) {
      await this.#setState('VERIFYING');
      const problems = await verify({
        manifest,
        sandbox: this.#opts.sandbox,
        store: this.#opts.store,
        sessionId: this.#opts.sessionId,
        sinceSeq,
        signal: this.#signal,
        settleMs: this.#opts.verifySettleMs ?? 2_000,
      });
      if (this.#signal.aborted) throw this.#signal.reason;
      if (problems.length === 0) return;
      const report = describeProblems(problems);
      if (round >= rounds) {
        throw new BuildFailed(
          `The app still has problems after ${rounds} automatic fix round(s):\n${report}`,
        );
      }
      this.#emit({
        type: 'error',
        data: {
          message: `Verification found problems; fix round ${round + 1} of ${rounds}.\n${report}`,
          kind: 'verification',
          retryable: true,
        },
      });
      sinceSeq = (await this.#opts.store.getSession(this.#opts.sessionId))?.lastSeq ?? sinceSeq;
      await this.#implement(instructions, `The app has problems. Fix them, then stop:\n\n${report}`);
    }
  }
}

/** An error from the operating system (EEXIST, ENOSPC, …): the builder's own work failed, not the model. */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error
  );
}
