// Bundles the CLI (packages/cli/src, the engine, the protocol and their dependencies) into
// packages/cli/dist with rolldown, so `aura` loads a few dozen modules instead of a thousand.
// `npm install` runs it (postinstall) and `npm run build:cli` by hand; it does nothing while the
// bundle is fresh, and `--force` rebuilds. Until it has run, or once a source changes, bin/aura.js runs the
// sources instead: slower to start, never out of date.
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BundleManifest,
  bundleDirectory,
  checkBundle,
  fileStamp,
  manifestFormat,
  manifestName,
} from '../packages/cli/bin/bundle.js';

const cliEntry = fileURLToPath(new URL('../packages/cli/src/main.ts', import.meta.url));
const thisScript = fileURLToPath(import.meta.url);

/** Left out of the bundle, loaded from node_modules when (rarely) needed. */
const external = [
  /^node:/,
  ...builtinModules,
  // `aura serve` runs from the sources (bin/aura.js): a second copy of the engine must not load.
  '@aura/server',
  // Native addons, or packages with optional native parts.
  '@lydell/node-pty',
  'pg',
  'dockerode',
  // Ink's React devtools: only with DEV=true, and not installed.
  'react-devtools-core',
];

export interface BuiltBundle {
  entry: string;
  modules: number;
  chunks: number;
  inputs: number;
}

export interface BuildOptions {
  /** Where the bundle goes; default packages/cli/dist. */
  directory?: string;
  /** How many earlier builds stay for processes still running from them (they load chunks lazily). */
  keep?: number;
}

export async function buildCliBundle(options: BuildOptions = {}): Promise<BuiltBundle> {
  const directory = options.directory ?? bundleDirectory;
  const build = Date.now().toString(36);
  const outDir = join(directory, 'builds', build);
  const { build: rolldown } = await import('rolldown');
  const result = await rolldown({
    input: { main: cliEntry },
    platform: 'node',
    external,
    logLevel: 'warn',
    output: {
      dir: outDir,
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
      // Minified, the chat idles ~4 MB lighter (V8 keeps every script's source); names stay, so
      // stack traces and code that reads a class's name still work.
      minify: true,
      keepNames: true,
    },
  });
  const modules = new Set(result.output.flatMap((item) => (item.type === 'chunk' ? item.moduleIds : [])));
  const inputs = new Set([thisScript, packageFile(fileURLToPath(import.meta.resolve('rolldown')))]);
  for (const id of modules) {
    if (!isAbsolute(id)) continue; // rolldown's own runtime
    // A dependency is stamped by its package.json, which a re-install rewrites; a source file by itself.
    inputs.add(id.includes('/node_modules/') ? packageFile(id) : id);
  }
  const manifest: BundleManifest = {
    format: manifestFormat,
    entry: join('builds', build, 'main.js'),
    builtAt: new Date().toISOString(),
    inputs: [...inputs].sort().map((path) => [relative(directory, path), fileStamp(path) ?? 'missing']),
  };
  // Written last and renamed into place: a half-finished build is never taken for a fresh one.
  const temporary = join(directory, `${manifestName}.${process.pid}.tmp`);
  await writeFile(temporary, `${JSON.stringify(manifest, null, 1)}\n`);
  await rename(temporary, join(directory, manifestName));
  await pruneBuilds(directory, build, options.keep ?? 3);
  return {
    entry: join(directory, manifest.entry),
    modules: modules.size,
    chunks: result.output.filter((item) => item.type === 'chunk').length,
    inputs: inputs.size,
  };
}

/** The package.json of the installed package a module file belongs to. */
function packageFile(moduleFile: string): string {
  const root = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(moduleFile)?.[1];
  return root ? join(root, 'package.json') : join(dirname(moduleFile), 'package.json');
}

async function pruneBuilds(directory: string, current: string, keep: number): Promise<void> {
  const builds = join(directory, 'builds');
  const names = await readdir(builds).catch(() => []);
  const older = names
    .filter((name) => name !== current)
    .sort((a, b) => Number.parseInt(b, 36) - Number.parseInt(a, 36))
    .slice(Math.max(0, keep - 1));
  await Promise.all(older.map((name) => rm(join(builds, name), { recursive: true, force: true })));
}

if (import.meta.main) {
  const force = process.argv.includes('--force');
  // After `npm install`: a failed build must not fail the install, the sources still run.
  const optional = process.argv.includes('--optional');
  if (!force && checkBundle().entry) {
    console.log('aura CLI bundle: up to date');
  } else {
    const started = performance.now();
    try {
      await mkdir(bundleDirectory, { recursive: true });
      const built = await buildCliBundle();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `aura CLI bundle: built ${built.modules} modules into ${built.chunks} chunks in ${seconds} s (${relative(process.cwd(), built.entry)})`,
      );
    } catch (error) {
      console.error(
        `aura CLI bundle: the build failed (${(error as Error).message}); aura will run from its sources, which start slower.`,
      );
      process.exitCode = optional ? 0 : 1;
    }
  }
}
