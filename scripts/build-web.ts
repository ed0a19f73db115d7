// Builds the web IDE (packages/web → packages/web/dist) unless the build is newer than every
// source file. `npm start` runs it first, so a fresh clone serves the IDE without a separate step;
// `--force` always rebuilds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('../packages/web/', import.meta.url));
const built = path.join(web, 'dist', 'index.html');
const inputs = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'];

function newestChange(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestChange(path.join(entry, name)));
  return newest;
}

const force = process.argv.includes('--force');
const sources = Math.max(...inputs.map((input) => newestChange(path.join(web, input))));
if (!force && existsSync(built) && statSync(built).mtimeMs >= sources) {
  console.log('web IDE: up to date');
} else {
  console.log('web IDE: building (vite build)…');
  const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: web,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('web IDE: the build failed (see above); the server would answer 503 for its pages.');
    process.exit(result.status ?? 1);
  }
  console.log('web IDE: built');
}
