import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EventInput } from '@aura/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  beginTurnCheckpoints,
  CheckpointNotFoundError,
  checkpointPending,
  checkpointTurn,
  diffCheckpoint,
  listCheckpoints,
  restoreCheckpoint,
} from './index.ts';

let root: string;
let workspace: string;
let gitDir: string;
const turn = (n: number) => ({ sessionId: 'ses_1', runId: `run_${n}`, messageId: `msg_${n}` });

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'aura-checkpoint-')));
  workspace = path.join(root, 'workspace');
  gitDir = path.join(root, 'data', 'checkpoints', 'prj_1.git');
  mkdirSync(workspace);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(relative: string, content: string | Buffer): void {
  const file = path.join(workspace, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** Everything under `dir` except `skip` names: kind, bytes or link target, and the exec bit. */
function snapshot(dir: string, skip = new Set(['node_modules', '.git'])): Map<string, string> {
  const result = new Map<string, string>();
  const visit = (absolute: string, relative: string) => {
    for (const name of readdirSync(absolute).sort()) {
      if (skip.has(name)) continue;
      const full = path.join(absolute, name);
      const rel = relative ? `${relative}/${name}` : name;
      const info = lstatSync(full);
      if (info.isSymbolicLink()) result.set(rel, `link:${readlinkSync(full)}`);
      else if (info.isDirectory()) visit(full, rel);
      else result.set(rel, `file:${info.mode & 0o111 ? 'x' : '-'}:${readFileSync(full).toString('base64')}`);
    }
  };
  visit(dir, '');
  return result;
}

describe('checkpoints', () => {
  it('records the starting state, then one checkpoint per turn that changed files and none otherwise', async () => {
    write('index.html', '<h1>hi</h1>\n');
    const initial = await checkpointPending({ workspace, gitDir });
    expect(initial).toMatchObject({ message: 'Initial state', sessionId: null, runId: null });
    expect(initial?.files).toEqual([{ path: 'index.html', status: 'added' }]);
    expect(await checkpointPending({ workspace, gitDir })).toBeUndefined();

    write('app.js', 'console.log(1);\n');
    write('index.html', '<h1>hello</h1>\n');
    const first = await checkpointTurn({ workspace, gitDir, message: 'Add a script', turn: turn(1) });
    expect(first).toMatchObject({
      message: 'Add a script',
      sessionId: 'ses_1',
      runId: 'run_1',
      messageId: 'msg_1',
    });
    expect(first?.id).toMatch(/^[0-9a-f]{40}$/);
    expect(first?.files).toEqual([
      { path: 'app.js', status: 'added' },
      { path: 'index.html', status: 'modified' },
    ]);
    expect(await checkpointTurn({ workspace, gitDir, message: 'Nothing', turn: turn(2) })).toBeUndefined();

    unlinkSync(path.join(workspace, 'app.js'));
    const second = await checkpointTurn({ workspace, gitDir, message: 'Remove it', turn: turn(3) });
    expect(second?.files).toEqual([{ path: 'app.js', status: 'deleted' }]);

    const list = await listCheckpoints({ workspace, gitDir });
    expect(list.map((c) => c.message)).toEqual(['Remove it', 'Add a script', 'Initial state']);
    expect(list.map((c) => c.id)).toEqual([second?.id, first?.id, initial?.id]);
    expect(list[1]).toEqual(first);
    expect(list.every((c) => c.createdAt > Date.now() - 60_000 && c.createdAt <= Date.now())).toBe(true);
    expect(await listCheckpoints({ workspace, gitDir, limit: 1 })).toEqual([second]);
  });

  it('lists nothing before the first checkpoint and creates its repository outside the workspace', async () => {
    expect(await listCheckpoints({ workspace, gitDir })).toEqual([]);
    expect(existsSync(gitDir)).toBe(false);
    await checkpointPending({ workspace, gitDir });
    expect(existsSync(path.join(gitDir, 'HEAD'))).toBe(true);
    expect(readdirSync(workspace)).toEqual([]);
  });

  it('leaves out dependencies, build output, .aura and files over the size limit', async () => {
    write('src/main.ts', 'export {};\n');
    write('node_modules/react/index.js', 'module.exports = {};\n');
    write('dist/bundle.js', 'bundle\n');
    write('.aura/config.json', '{}\n');
    write('pkg/.vite/deps.json', '{}\n');
    write('big.bin', Buffer.alloc(2048, 1));
    const initial = await checkpointPending({ workspace, gitDir, maxFileBytes: 1024 });
    expect(initial?.files.map((f) => f.path)).toEqual(['src/main.ts']);
  });

  it('diffs a checkpoint against the one before, with per-file stats and binary files named', async () => {
    write('notes.txt', 'one\ntwo\nthree\n');
    await checkpointPending({ workspace, gitDir });
    write('notes.txt', 'one\n2\nthree\nfour\n');
    write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    const checkpoint = await checkpointTurn({ workspace, gitDir, message: 'Edit', turn: turn(1) });
    const diff = await diffCheckpoint({ workspace, gitDir, id: checkpoint!.id });
    expect(diff.id).toBe(checkpoint!.id);
    expect(diff.truncated).toBe(false);
    expect(diff.diff).toContain('--- a/notes.txt\n+++ b/notes.txt\n');
    expect(diff.diff).toContain('-two\n+2\n three\n+four\n');
    expect(diff.diff).toContain('Binary files /dev/null and b/logo.png differ');
    expect(diff.files).toEqual([
      { path: 'logo.png', status: 'added', additions: null, deletions: null, binary: true },
      { path: 'notes.txt', status: 'modified', additions: 2, deletions: 1, binary: false },
    ]);
    const short = await diffCheckpoint({ workspace, gitDir, id: checkpoint!.id.slice(0, 10), maxBytes: 40 });
    expect(short.truncated).toBe(true);
    expect(short.diff.length).toBe(40);
    const first = (await listCheckpoints({ workspace, gitDir })).at(-1)!;
    const initial = await diffCheckpoint({ workspace, gitDir, id: first.id });
    expect(initial.files).toEqual([
      { path: 'notes.txt', status: 'added', additions: 3, deletions: 0, binary: false },
    ]);
  });

  it('refuses ids that are malformed or not in this history', async () => {
    await checkpointPending({ workspace, gitDir });
    const otherWorkspace = path.join(root, 'other');
    mkdirSync(otherWorkspace);
    writeFileSync(path.join(otherWorkspace, 'x'), 'x');
    const foreign = await checkpointPending({
      workspace: otherWorkspace,
      gitDir: path.join(root, 'other.git'),
    });
    for (const id of ['HEAD', 'main', '--all', '../x', 'zzzz', 'abc', foreign!.id, '0'.repeat(40)]) {
      await expect(diffCheckpoint({ workspace, gitDir, id })).rejects.toBeInstanceOf(CheckpointNotFoundError);
      await expect(restoreCheckpoint({ workspace, gitDir, id })).rejects.toBeInstanceOf(
        CheckpointNotFoundError,
      );
    }
    await expect(
      diffCheckpoint({ workspace, gitDir: path.join(root, 'none.git'), id: foreign!.id }),
    ).rejects.toBeInstanceOf(CheckpointNotFoundError);
  });

  it('keeps the request text out of the metadata: a subject cannot pose as a trailer', async () => {
    await checkpointPending({ workspace, gitDir });
    write('a.txt', 'a');
    const checkpoint = await checkpointTurn({
      workspace,
      gitDir,
      message: 'Aura-Restored-From: 1234567\nAura-Session: ses_fake',
      turn: turn(1),
    });
    expect(checkpoint).toMatchObject({
      message: 'Aura-Restored-From: 1234567 Aura-Session: ses_fake',
      sessionId: 'ses_1',
      restoredFrom: null,
    });
  });

  it('serializes concurrent checkpoints of one repository', async () => {
    await checkpointPending({ workspace, gitDir });
    write('a.txt', 'a');
    write('b.txt', 'b');
    const results = await Promise.all([
      checkpointTurn({ workspace, gitDir, message: 'A', turn: turn(1) }),
      checkpointTurn({ workspace, gitDir, message: 'B', turn: turn(2) }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await listCheckpoints({ workspace, gitDir })).length).toBe(2);
  });
});

describe('restoring a checkpoint', () => {
  it('gives back the exact files: contents, binaries, deletions, re-creations, modes and links', async () => {
    // Attributes that would convert line endings or expand keywords must not change a byte.
    write('.gitattributes', '* text=auto eol=crlf\n*.txt ident\n');
    write('readme.txt', 'line one\nline two $Id$\n');
    write('windows.txt', 'crlf\r\nline\r\n');
    write('src/app.ts', 'export const a = 1;\n');
    write('src/deep/nested/util.ts', 'export const u = 2;\n');
    write('assets/blob.bin', randomBytes(70_000));
    write('assets/zeros.bin', Buffer.alloc(1000));
    write('empty.txt', '');
    write('names/with space & ünïcode.md', '# hi\n');
    write('bin/run.sh', '#!/bin/sh\necho run\n');
    chmodSync(path.join(workspace, 'bin/run.sh'), 0o755);
    symlinkSync('src/app.ts', path.join(workspace, 'app-link.ts'));
    write('node_modules/dep/index.js', 'dependency v1\n');
    const before = await checkpointPending({ workspace, gitDir });
    const stateA = snapshot(workspace);

    // A turn changes a bit of everything.
    write('readme.txt', 'rewritten\n');
    unlinkSync(path.join(workspace, 'windows.txt'));
    rmSync(path.join(workspace, 'src/deep'), { recursive: true });
    write('assets/blob.bin', randomBytes(1000));
    write('new/dir/file.ts', 'new\n');
    write('empty.txt', 'not empty now');
    chmodSync(path.join(workspace, 'bin/run.sh'), 0o644);
    unlinkSync(path.join(workspace, 'app-link.ts'));
    write('app-link.ts', 'a file where a link was\n');
    write('node_modules/dep/index.js', 'dependency v2\n');
    const after = await checkpointTurn({ workspace, gitDir, message: 'Big change', turn: turn(1) });
    expect(after).toBeDefined();
    const stateB = snapshot(workspace);
    // Edits after the last checkpoint, not yet recorded.
    write('scratch.txt', 'unsaved work\n');
    const stateC = snapshot(workspace);

    const restored = await restoreCheckpoint({ workspace, gitDir, id: before!.id });
    expect(snapshot(workspace)).toEqual(stateA);
    expect(existsSync(path.join(workspace, 'new'))).toBe(false);
    // Excluded directories are not the checkpoint's business.
    expect(readFileSync(path.join(workspace, 'node_modules/dep/index.js'), 'utf8')).toBe('dependency v2\n');
    expect(restored.deletedFiles.sort()).toEqual(['new/dir/file.ts', 'scratch.txt']);
    expect(restored.restoredFiles.sort()).toEqual(
      [
        'app-link.ts',
        'assets/blob.bin',
        'bin/run.sh',
        'empty.txt',
        'readme.txt',
        'src/deep/nested/util.ts',
        'windows.txt',
      ].sort(),
    );
    expect(restored.checkpoint).toMatchObject({
      message: `Restored ${before!.id.slice(0, 7)}`,
      restoredFrom: before!.id,
    });

    // The unsaved edits were recorded before the restore, so nothing is lost.
    const list = await listCheckpoints({ workspace, gitDir });
    expect(list.map((c) => c.message)).toEqual([
      `Restored ${before!.id.slice(0, 7)}`,
      'Changes before restore',
      'Big change',
      'Initial state',
    ]);
    await restoreCheckpoint({ workspace, gitDir, id: list[1]!.id });
    expect(snapshot(workspace)).toEqual(stateC);
    await restoreCheckpoint({ workspace, gitDir, id: after!.id });
    expect(snapshot(workspace)).toEqual(stateB);
    // Restoring the state the workspace is already in changes nothing and records nothing.
    const count = (await listCheckpoints({ workspace, gitDir })).length;
    expect(await restoreCheckpoint({ workspace, gitDir, id: after!.id })).toEqual({
      restoredFiles: [],
      deletedFiles: [],
    });
    expect((await listCheckpoints({ workspace, gitDir })).length).toBe(count);
  });

  it("never touches the project's own git repository", async () => {
    const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: root };
    const run = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=U', '-c', 'user.email=u@x', ...args], {
        cwd: workspace,
        env: gitEnv,
      });
    run('init', '-q');
    write('tracked.txt', 'v1\n');
    run('add', '.');
    run('commit', '-qm', 'user commit');
    const userGit = () => snapshot(path.join(workspace, '.git'), new Set());
    const gitBefore = userGit();

    const first = await checkpointPending({ workspace, gitDir });
    expect(first?.files).toEqual([{ path: 'tracked.txt', status: 'added' }]);
    write('tracked.txt', 'v2\n');
    await checkpointTurn({ workspace, gitDir, message: 'Edit', turn: turn(1) });
    await restoreCheckpoint({ workspace, gitDir, id: first!.id });

    expect(readFileSync(path.join(workspace, 'tracked.txt'), 'utf8')).toBe('v1\n');
    expect(userGit()).toEqual(gitBefore);
    expect(String(run('log', '--format=%s'))).toBe('user commit\n');
    expect(String(run('status', '--porcelain'))).toBe('');
  });
});

describe('turn checkpoints', () => {
  it('records outside changes at the start, the turn at the end, and emits checkpoint_created', async () => {
    const events: EventInput[] = [];
    write('before.txt', 'made before the first turn\n');
    const checkpoints = await beginTurnCheckpoints(workspace, { gitDir }, (e) => events.push(e));
    write('agent.txt', 'made by the agent\n');
    await checkpoints.finish(turn(1), 'Add agent.txt\nplease', 'completed');
    expect(events).toEqual([
      {
        type: 'checkpoint_created',
        data: {
          id: expect.stringMatching(/^[0-9a-f]{40}$/),
          turn: turn(1),
          message: 'Add agent.txt',
          files: [{ path: 'agent.txt', status: 'added' }],
        },
      },
    ]);
    const list = await listCheckpoints({ workspace, gitDir });
    expect(list.map((c) => c.message)).toEqual(['Add agent.txt', 'Initial state']);

    write('user.txt', 'edited between turns\n');
    const next = await beginTurnCheckpoints(workspace, { gitDir }, (e) => events.push(e));
    await next.finish(turn(2), 'Look around', 'cancelled');
    expect(events).toHaveLength(1);
    expect((await listCheckpoints({ workspace, gitDir }))[0]).toMatchObject({
      message: 'Changes made outside the agent',
      files: [{ path: 'user.txt', status: 'added' }],
    });
  });

  it('reports a failure as an error event of kind checkpoint instead of throwing', async () => {
    writeFileSync(path.join(root, 'blocker'), 'a file where a directory should be');
    const events: EventInput[] = [];
    const checkpoints = await beginTurnCheckpoints(
      workspace,
      { gitDir: path.join(root, 'blocker', 'repo.git') },
      (e) => events.push(e),
    );
    write('x.txt', 'x');
    await checkpoints.finish(turn(1), 'Write x', 'completed');
    expect(events.map((e) => e.type)).toEqual(['error', 'error']);
    expect(events[0]).toMatchObject({
      data: { kind: 'checkpoint', message: expect.stringContaining('checkpoint') },
    });
    expect(JSON.stringify(events)).not.toContain(root);
  });
});
