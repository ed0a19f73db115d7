// Test-only: tiny templates whose "install" is a node script (no npm, no network), which counts
// its runs and can be told to fail or to hang half-way.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FixtureTemplates {
  root: string;
  /** The templates directory (pass as templatesDir). */
  templatesDir: string;
  /** Dependency cache root. */
  cacheDir: string;
  /** One line per install run (its pid). */
  counterFile: string;
  /** While this file exists, installs write half a node_modules and exit 1. */
  failFlag: string;
  /** While this file exists, installs write half a node_modules, record their pid here + '.pid' and hang. */
  hangFlag: string;
  installs(): Promise<number>;
  cleanup(): Promise<void>;
}

const installScript = (counter: string, failFlag: string, hangFlag: string) => `
import { appendFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(counter)}, process.pid + '\\n');
console.log('fake install starting');
mkdirSync('node_modules/half-written', { recursive: true });
if (existsSync(${JSON.stringify(failFlag)})) {
  console.error('npm error 404 Not Found - fake-dep@1.0.0');
  process.exit(1);
}
if (existsSync(${JSON.stringify(hangFlag)})) {
  writeFileSync(${JSON.stringify(`${hangFlag}.pid`)}, String(process.pid));
  setInterval(() => {}, 1000);
} else {
  await new Promise((done) => setTimeout(done, 150));
  mkdirSync('node_modules/fake-dep', { recursive: true });
  writeFileSync('node_modules/fake-dep/package.json', JSON.stringify({ name: 'fake-dep', version: '1.0.0', main: 'index.js' }));
  writeFileSync('node_modules/fake-dep/index.js', 'module.exports = 42;\\n');
  mkdirSync('node_modules/.bin');
  symlinkSync('../fake-dep/index.js', 'node_modules/.bin/fake-dep');
  writeFileSync('node_modules/.package-lock.json', '{"lockfileVersion":3}\\n');
  writeFileSync('package-lock.json', '{"lockfileVersion":3,"fromInstall":true}\\n');
  console.log('added 1 package');
}
`;

export const fixtureManifest = (name: string, overrides: Record<string, unknown> = {}) => ({
  name,
  description: `Fixture template ${name}`,
  install: 'node install.mjs',
  dev: 'node server.mjs',
  build: 'node -e ""',
  check: 'node -e ""',
  port: 5173,
  ...overrides,
});

/** A template folder with an aura.json and the given files. */
export async function writeTemplate(
  templatesDir: string,
  name: string,
  files: Record<string, string>,
  manifest: Record<string, unknown> = fixtureManifest(name),
): Promise<string> {
  const dir = join(templatesDir, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'aura.json'), JSON.stringify(manifest, null, 2));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/**
 * `tiny` (one fake dependency, installed by install.mjs) and `plain` (no dependencies) in a
 * fresh temp folder.
 */
export async function fixtureTemplates(): Promise<FixtureTemplates> {
  const root = await mkdtemp(join(tmpdir(), 'aura-template-test-'));
  const templatesDir = join(root, 'templates');
  const counterFile = join(root, 'installs.log');
  const failFlag = join(root, 'fail');
  const hangFlag = join(root, 'hang');
  await writeFile(counterFile, '');
  await writeTemplate(templatesDir, 'tiny', {
    'package.json': JSON.stringify({ name: 'tiny', private: true, dependencies: { 'fake-dep': '1.0.0' } }),
    'install.mjs': installScript(counterFile, failFlag, hangFlag),
    'README.md': '# tiny\n',
    'src/index.js': 'console.log(require("fake-dep"));\n',
  });
  await writeTemplate(templatesDir, 'plain', {
    'package.json': JSON.stringify({ name: 'plain', private: true, scripts: { dev: 'node server.mjs' } }),
    'index.html': '<!doctype html><title>plain</title>\n',
  });
  return {
    root,
    templatesDir,
    cacheDir: join(root, 'cache'),
    counterFile,
    failFlag,
    hangFlag,
    installs: async () => (await readFile(counterFile, 'utf8')).split('\n').filter(Boolean).length,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
