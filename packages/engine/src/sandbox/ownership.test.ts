import {
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adoptEntry, adoptTree, OwnershipTracker } from './ownership.ts';

const isRoot = process.getuid?.() === 0;
const owner = { uid: 54_321, gid: 54_321 };
let base: string;
let root: string;
let outside: string;

beforeEach(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'aura-ownership-')));
  root = path.join(base, 'workspace');
  outside = path.join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), 'secret');
});

afterEach(() => rmSync(base, { recursive: true, force: true }));

const uid = (target: string) => lstatSync(target).uid;

describe.runIf(isRoot)(
  isRoot ? 'workspace ownership' : 'workspace ownership — skipped: needs root to chown',
  () => {
    it('hands a tree over, but never a symlink, what it points to, or a hard-linked file', async () => {
      mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
      writeFileSync(path.join(root, 'src', 'deep', 'a.ts'), 'a');
      symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link'));
      symlinkSync(outside, path.join(root, 'dir-link'));
      linkSync(path.join(outside, 'secret.txt'), path.join(root, 'hard.txt'));

      const changed = await adoptTree(root, root, owner);
      expect(changed).toBe(4); // root, src, src/deep, src/deep/a.ts
      for (const entry of ['.', 'src', 'src/deep', 'src/deep/a.ts'])
        expect(uid(path.join(root, entry))).toBe(owner.uid);
      expect(uid(path.join(root, 'link'))).toBe(0);
      expect(uid(path.join(outside, 'secret.txt'))).toBe(0);
      expect(uid(outside)).toBe(0);
    });

    it('refuses an entry whose real location is outside the workspace', async () => {
      // What a sandboxed process could do mid-walk: replace a directory with a symlink out.
      symlinkSync(outside, path.join(root, 'swapped'));
      expect(await adoptEntry(root, path.join(root, 'swapped', 'secret.txt'), owner)).toBe(false);
      expect(uid(path.join(outside, 'secret.txt'))).toBe(0);
    });

    it('finds what the server wrote since the last sweep, cheaply', async () => {
      mkdirSync(path.join(root, 'src'));
      writeFileSync(path.join(root, 'package.json'), '{}');
      const tracker = new OwnershipTracker(root, owner);
      expect(await tracker.sweep()).toBe(3);
      expect(tracker.sweep()).toBeUndefined();

      writeFileSync(path.join(root, 'src', 'new.ts'), 'x');
      mkdirSync(path.join(root, 'src', 'made', 'by', 'server'), { recursive: true });
      expect(tracker.scan()).toEqual({
        entries: [path.join(root, 'src', 'new.ts')],
        trees: [path.join(root, 'src', 'made')],
      });
      expect(await tracker.sweep()).toBe(4);
      expect(uid(path.join(root, 'src', 'made', 'by', 'server'))).toBe(owner.uid);
      expect(tracker.sweep()).toBeUndefined();
    });

    it('takes a copied node_modules whole, and trusts one the sandbox owns', async () => {
      mkdirSync(path.join(root, 'node_modules', 'react'), { recursive: true });
      writeFileSync(path.join(root, 'node_modules', 'react', 'index.js'), '');
      const tracker = new OwnershipTracker(root, owner);
      await tracker.sweep();
      expect(uid(path.join(root, 'node_modules', 'react', 'index.js'))).toBe(owner.uid);

      // Inside a sandbox-owned node_modules, server writes are not looked for (prepareWorkspace is).
      writeFileSync(path.join(root, 'node_modules', 'react', 'later.js'), '');
      expect(tracker.sweep()).toBeUndefined();
    });
  },
);
