// Sanity checks for the site: every HTML page is a complete document whose local links, scripts,
// styles and images exist; every JavaScript file parses (`node --check`); CSS braces balance.
// `--out <dir>`: after a clean check, copy the site into <dir> (the production build).
import { spawnSync } from 'node:child_process';
import { cp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
/** Project files at the top level that are tooling, not site. */
const skipped = new Set([
  'node_modules',
  'scripts',
  'dist',
  'README.md',
  'aura.json',
  'package.json',
  'package-lock.json',
]);
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : undefined;

async function siteFiles(dir = root) {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    if (dir === root && skipped.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await siteFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

const exists = (path) =>
  stat(path).then(
    () => true,
    () => false,
  );

const problems = [];
const report = (file, message) => problems.push(`${relative(root, file)}: ${message}`);

async function checkHtml(file) {
  const html = await readFile(file, 'utf8');
  if (!/^\s*<!doctype html>/i.test(html)) report(file, 'missing <!doctype html> at the top');
  if (!/<title>[^<]*\S[^<]*<\/title>/i.test(html)) report(file, 'missing or empty <title>');
  for (const tag of ['html', 'head', 'body']) {
    const opens = html.match(new RegExp(`<${tag}[\\s>]`, 'gi'))?.length ?? 0;
    const closes = html.match(new RegExp(`</${tag}>`, 'gi'))?.length ?? 0;
    if (opens !== 1 || closes !== 1) report(file, `expected one <${tag}> and one </${tag}>`);
  }
  for (const match of html.matchAll(/\s(?:src|href)\s*=\s*["']([^"']+)["']/gi)) {
    const ref = match[1];
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i.test(ref) || ref.includes('${')) continue;
    const path = decodeURIComponent(ref.split(/[?#]/)[0] ?? '');
    if (!path) continue;
    const target = path.startsWith('/') ? join(root, path) : join(dirname(file), path);
    const resolved = (await stat(target).catch(() => undefined))?.isDirectory()
      ? join(target, 'index.html')
      : target;
    if (!(await exists(resolved))) report(file, `links to ${ref}, which does not exist`);
  }
}

function checkJs(file) {
  const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
  if (result.status !== 0) report(file, result.stderr.trim().split('\n').slice(0, 5).join('\n  '));
}

async function checkCss(file) {
  const css = (await readFile(file, 'utf8'))
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(["'])(?:\\.|(?!\1).)*\1/g, '');
  let depth = 0;
  for (const char of css) {
    if (char === '{') depth += 1;
    else if (char === '}' && --depth < 0) break;
  }
  if (depth !== 0) report(file, 'unbalanced { } braces');
}

const files = await siteFiles();
if (!files.some((f) => relative(root, f) === 'index.html')) problems.push('index.html: missing');
for (const file of files) {
  const ext = extname(file).toLowerCase();
  if (ext === '.html') await checkHtml(file);
  else if (ext === '.js' || ext === '.mjs') checkJs(file);
  else if (ext === '.css') await checkCss(file);
}

if (problems.length > 0) {
  console.error(`${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`Checked ${files.length} files: no problems.`);

if (out) {
  const target = resolve(root, out);
  await rm(target, { recursive: true, force: true });
  for (const file of files) await cp(file, join(target, relative(root, file)));
  console.log(`Copied the site into ${relative(process.cwd(), target) || '.'}`);
}
