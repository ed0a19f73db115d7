/** The languages the editor highlights; each is loaded the first time a file needs it. */
export type LanguageId =
  | 'javascript'
  | 'jsx'
  | 'typescript'
  | 'tsx'
  | 'json'
  | 'css'
  | 'html'
  | 'markdown'
  | 'python'
  | 'rust'
  | 'go'
  | 'java'
  | 'cpp'
  | 'php'
  | 'sql'
  | 'xml'
  | 'yaml';

export const languageLabels: Record<LanguageId, string> = {
  javascript: 'JavaScript',
  jsx: 'JavaScript JSX',
  typescript: 'TypeScript',
  tsx: 'TypeScript JSX',
  json: 'JSON',
  css: 'CSS',
  html: 'HTML',
  markdown: 'Markdown',
  python: 'Python',
  rust: 'Rust',
  go: 'Go',
  java: 'Java',
  cpp: 'C/C++',
  php: 'PHP',
  sql: 'SQL',
  xml: 'XML',
  yaml: 'YAML',
};

const byExtension: Record<string, LanguageId> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'jsx',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  json: 'json',
  jsonc: 'json',
  json5: 'json',
  webmanifest: 'json',
  css: 'css',
  scss: 'css',
  less: 'css',
  html: 'html',
  htm: 'html',
  vue: 'html',
  svelte: 'html',
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
  py: 'python',
  pyi: 'python',
  rs: 'rust',
  go: 'go',
  java: 'java',
  c: 'cpp',
  h: 'cpp',
  cc: 'cpp',
  cpp: 'cpp',
  cxx: 'cpp',
  hpp: 'cpp',
  hh: 'cpp',
  php: 'php',
  sql: 'sql',
  xml: 'xml',
  svg: 'xml',
  plist: 'xml',
  yaml: 'yaml',
  yml: 'yaml',
};

/** Dotfiles that are JSON, though their names say nothing. */
const byName: Record<string, LanguageId> = {
  '.babelrc': 'json',
  '.eslintrc': 'json',
  '.prettierrc': 'json',
};

/** The language a file is highlighted as, from its name; null for plain text. */
export function languageOf(path: string): LanguageId | null {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const named = byName[name];
  if (named) return named;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  return byExtension[name.slice(dot + 1)] ?? null;
}
