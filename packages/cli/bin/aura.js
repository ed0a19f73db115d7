#!/usr/bin/env node
// Entry point kept in plain JS with no imports on the hot path, so `aura --version` starts fast.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const major = Number(process.versions.node.split('.')[0]);

if (major < 24) {
  // Launched by an older system Node: hand over to the Node 24 the repo installs from npm.
  const candidates = [join(here, '../../../node_modules/.bin/node'), join(here, '../node_modules/.bin/node')];
  const node24 = candidates.find((candidate) => existsSync(candidate));
  if (!node24) {
    process.stderr.write(
      `aura needs Node.js 24 or newer (this is ${process.version}). Run npm install at the repository root.\n`,
    );
    process.exit(2);
  }
  const result = spawnSync(node24, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

// `--verbose` may stand anywhere, even before `--version`.
const first = process.argv.slice(2).find((arg) => arg !== '--verbose');
if (first === '--version' || first === '-v' || first === 'version') {
  const pkg = JSON.parse(readFileSync(join(here, '../package.json'), 'utf8'));
  process.stdout.write(`aura ${pkg.version}\n`);
} else {
  // Keeps Node's type-stripped and compiled modules between runs: the TUI paints several times sooner.
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  // The prebuilt bundle starts sooner and holds less memory than ~250 TypeScript modules and their
  // dependencies loaded one by one; the sources run whenever it is missing or out of date.
  const { checkBundle } = await import('./bundle.js');
  const check =
    first === 'serve'
      ? { stale: 'the server is not in the bundle' }
      : process.env.AURA_FROM_SOURCES === '1'
        ? { stale: 'AURA_FROM_SOURCES=1' }
        : checkBundle();
  const { main } = await import(check.entry ? pathToFileURL(check.entry).href : '../src/main.ts');
  process.exitCode = await main(process.argv.slice(2), {
    code: check.entry ? 'bundle' : `sources: ${check.stale}`,
  });
}
