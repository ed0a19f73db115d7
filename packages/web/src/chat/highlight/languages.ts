import type { LanguageRegistration } from 'shiki/core';

type GrammarModule = Promise<{ default: LanguageRegistration[] }>;

/**
 * The grammars the chat highlights, each its own lazily loaded chunk: a code block costs only the
 * grammar of its language, fetched the first time one appears.
 */
const grammars = {
  typescript: () => import('shiki/langs/typescript.mjs'),
  tsx: () => import('shiki/langs/tsx.mjs'),
  javascript: () => import('shiki/langs/javascript.mjs'),
  jsx: () => import('shiki/langs/jsx.mjs'),
  json: () => import('shiki/langs/json.mjs'),
  jsonc: () => import('shiki/langs/jsonc.mjs'),
  html: () => import('shiki/langs/html.mjs'),
  css: () => import('shiki/langs/css.mjs'),
  scss: () => import('shiki/langs/scss.mjs'),
  vue: () => import('shiki/langs/vue.mjs'),
  svelte: () => import('shiki/langs/svelte.mjs'),
  shellscript: () => import('shiki/langs/shellscript.mjs'),
  python: () => import('shiki/langs/python.mjs'),
  rust: () => import('shiki/langs/rust.mjs'),
  go: () => import('shiki/langs/go.mjs'),
  java: () => import('shiki/langs/java.mjs'),
  kotlin: () => import('shiki/langs/kotlin.mjs'),
  swift: () => import('shiki/langs/swift.mjs'),
  c: () => import('shiki/langs/c.mjs'),
  cpp: () => import('shiki/langs/cpp.mjs'),
  csharp: () => import('shiki/langs/csharp.mjs'),
  php: () => import('shiki/langs/php.mjs'),
  ruby: () => import('shiki/langs/ruby.mjs'),
  sql: () => import('shiki/langs/sql.mjs'),
  graphql: () => import('shiki/langs/graphql.mjs'),
  prisma: () => import('shiki/langs/prisma.mjs'),
  yaml: () => import('shiki/langs/yaml.mjs'),
  toml: () => import('shiki/langs/toml.mjs'),
  ini: () => import('shiki/langs/ini.mjs'),
  xml: () => import('shiki/langs/xml.mjs'),
  markdown: () => import('shiki/langs/markdown.mjs'),
  diff: () => import('shiki/langs/diff.mjs'),
  docker: () => import('shiki/langs/docker.mjs'),
} satisfies Record<string, () => GrammarModule>;

export type LanguageId = keyof typeof grammars;

const aliases: Record<string, LanguageId> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  node: 'javascript',
  json5: 'jsonc',
  htm: 'html',
  sh: 'shellscript',
  bash: 'shellscript',
  zsh: 'shellscript',
  shell: 'shellscript',
  console: 'shellscript',
  py: 'python',
  rs: 'rust',
  golang: 'go',
  kt: 'kotlin',
  h: 'c',
  'c++': 'cpp',
  cc: 'cpp',
  hpp: 'cpp',
  cs: 'csharp',
  'c#': 'csharp',
  rb: 'ruby',
  gql: 'graphql',
  yml: 'yaml',
  svg: 'xml',
  md: 'markdown',
  patch: 'diff',
  dockerfile: 'docker',
};

/** The grammar for a fence's info string (`ts`, `Python`, `tsx title="App.tsx"`), if we have one. */
export function languageOf(info: string | null | undefined): LanguageId | null {
  const name = info?.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (Object.hasOwn(grammars, name)) return name as LanguageId;
  return Object.hasOwn(aliases, name) ? aliases[name]! : null;
}

export function loadGrammar(language: LanguageId): GrammarModule {
  return grammars[language]();
}
