import { DEFAULT_TEMPLATE } from './registry.ts';

/** Phrases that ask for no framework at all: these win over everything else. */
const PLAIN = [
  /\bstatic (?:web ?)?(?:site|page|website|html)s?\b/,
  /\bplain (?:html|css|js|javascript)\b/,
  /\b(?:html|vanilla)[ -](?:only|js|javascript)\b/,
  /\bno (?:framework|build step|javascript framework)\b/,
  /\bwithout (?:a |any )?(?:framework|react|build step)\b/,
];

/** Phrases that need code running on a server. */
const BACKEND = [
  /\bapis?\b/,
  /\bback[ -]?end\b/,
  /\bservers?\b/,
  /\bserver[ -]side\b/,
  /\bdatabases?\b/,
  /\b(?:sqlite|postgres(?:ql)?|mysql|mongo(?:db)?|redis)\b/,
  /\bendpoints?\b/,
  /\bcrud\b/,
  /\bwebhooks?\b/,
  /\bfull[ -]?stack\b/,
  /\b(?:hono|express|fastify)\b/,
];

/** An explicit request for the default stack. */
const REACT = [/\breact\b/, /\bvite\b/, /\btsx\b/, /\bsingle[ -]page app\b/, /\bspa\b/];

/** Sites that plain HTML serves well, unless the request says otherwise. */
const SITE = [
  /\blanding pages?\b/,
  /\bhtml\b/,
  /\bhomepage\b/,
  /\bbrochure\b/,
  /\bportfolio (?:site|page)\b/,
  /\bcoming soon page\b/,
];

/**
 * A template for a request in plain language: `static` for landing pages and plain HTML sites,
 * `node-api` when it needs a backend (API, server, database), else `react-vite`. With
 * `available`, a pick that isn't there falls back to the default.
 */
export function pickTemplate(requestText: string, available?: readonly string[]): string {
  const text = requestText.toLowerCase();
  const matches = (patterns: RegExp[]) => patterns.some((pattern) => pattern.test(text));
  let pick = DEFAULT_TEMPLATE;
  if (matches(PLAIN)) pick = 'static';
  else if (matches(BACKEND)) pick = 'node-api';
  else if (matches(REACT)) pick = DEFAULT_TEMPLATE;
  else if (matches(SITE)) pick = 'static';
  if (available && !available.includes(pick)) return DEFAULT_TEMPLATE;
  return pick;
}
