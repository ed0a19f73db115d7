/**
 * HTML → readable plain text for the model: drops scripts, styles and markup; keeps headings,
 * paragraphs, list items, table rows, preformatted blocks and link targets.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  shy: '',
  zwj: '',
  zwnj: '',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  minus: '−',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  lsaquo: '‹',
  rsaquo: '›',
  bull: '•',
  middot: '·',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  micro: 'µ',
  para: '¶',
  sect: '§',
  cent: '¢',
  pound: '£',
  euro: '€',
  yen: '¥',
  iexcl: '¡',
  iquest: '¿',
  larr: '←',
  rarr: '→',
  uarr: '↑',
  darr: '↓',
  harr: '↔',
  rArr: '⇒',
  lArr: '⇐',
  le: '≤',
  ge: '≥',
  ne: '≠',
  asymp: '≈',
  infin: '∞',
  check: '✓',
  dagger: '†',
  frac12: '½',
  frac14: '¼',
  frac34: '¾',
  sup2: '²',
  sup3: '³',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  aacute: 'á',
  agrave: 'à',
  acirc: 'â',
  iacute: 'í',
  oacute: 'ó',
  uacute: 'ú',
  ntilde: 'ñ',
  ccedil: 'ç',
  Eacute: 'É',
  hearts: '♥',
  star: '☆',
};

/** Decodes named (common set), decimal and hex character references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);?/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        return '\uFFFD';
      }
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()];
    return named ?? whole;
  });
}

/** Elements whose content is never shown. */
const DROPPED = ['script', 'style', 'noscript', 'template', 'svg', 'canvas', 'iframe', 'object', 'head'];
/** Elements that start a new block (line) of text. */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hgroup',
  'hr',
  'html',
  'main',
  'nav',
  'ol',
  'p',
  'section',
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'ul',
  'caption',
]);

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attributes);
  if (!match) return undefined;
  return decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
}

function resolveHref(href: string, baseUrl: string | undefined): string | undefined {
  if (/^(javascript|data|mailto|tel):/i.test(href) || href.startsWith('#')) return undefined;
  try {
    return baseUrl ? new URL(href, baseUrl).toString() : new URL(href).toString();
  } catch {
    return undefined;
  }
}

/** Collapses whitespace in normal text (not inside <pre>). */
function collapse(text: string): string {
  return text.replace(/[ \t\r\n\f]+/g, ' ');
}

export interface HtmlToTextOptions {
  /** Resolves relative links; without it only absolute links are kept. */
  baseUrl?: string;
}

/** Converts an HTML document to plain text with light Markdown-like structure. */
export function htmlToText(html: string, options: HtmlToTextOptions = {}): string {
  const titleMatch = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const title = titleMatch ? collapse(decodeEntities(titleMatch[1]!)).trim() : '';

  let source = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  for (const tag of DROPPED) {
    source = source.replace(new RegExp(`<${tag}\\b[^>]*>[\\s\\S]*?<\\/${tag}\\s*>`, 'gi'), ' ');
    source = source.replace(new RegExp(`<${tag}\\b[^>]*\\/>`, 'gi'), ' ');
  }
  source = source.replace(/<!doctype[^>]*>/gi, '');

  const out: string[] = [];
  let pre = 0;
  let linkHref: string | undefined;
  let linkStart = 0;
  const listStack: { ordered: boolean; index: number }[] = [];
  const newline = (count = 1) => out.push('\n'.repeat(count));

  const tagPattern = /<\/?([a-zA-Z][a-zA-Z0-9-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g;
  let last = 0;
  for (let match = tagPattern.exec(source); match; match = tagPattern.exec(source)) {
    const text = source.slice(last, match.index);
    if (text) out.push(pre > 0 ? decodeEntities(text) : collapse(decodeEntities(text)));
    last = tagPattern.lastIndex;
    const closing = match[0][1] === '/';
    const name = match[1]!.toLowerCase();
    const attributes = match[2] ?? '';

    if (name === 'br') newline();
    else if (name === 'pre') {
      if (closing) {
        out.push('\n```');
        newline(2);
        pre = Math.max(0, pre - 1);
      } else {
        newline(2);
        out.push('```\n');
        pre += 1;
      }
    } else if (/^h[1-6]$/.test(name)) {
      newline(2);
      if (!closing) out.push(`${'#'.repeat(Number(name[1]))} `);
    } else if (name === 'li') {
      if (!closing) {
        newline();
        const list = listStack.at(-1);
        const depth = '  '.repeat(Math.max(0, listStack.length - 1));
        if (list?.ordered) {
          list.index += 1;
          out.push(`${depth}${list.index}. `);
        } else out.push(`${depth}- `);
      }
    } else if (name === 'ul' || name === 'ol') {
      if (closing) listStack.pop();
      else listStack.push({ ordered: name === 'ol', index: 0 });
      newline(listStack.length === 0 || closing ? 2 : 1);
    } else if (name === 'tr') {
      if (!closing) newline();
    } else if (name === 'td' || name === 'th') {
      if (!closing) out.push(' | ');
    } else if (name === 'a') {
      if (!closing) {
        linkHref = resolveHref(attribute(attributes, 'href') ?? '', options.baseUrl);
        linkStart = out.length;
      } else if (linkHref) {
        const label = out.slice(linkStart).join('').trim();
        if (label && label !== linkHref) out.push(` (${linkHref})`);
        else if (!label) out.push(linkHref);
        linkHref = undefined;
      }
    } else if (name === 'img' && !closing) {
      const alt = attribute(attributes, 'alt');
      if (alt) out.push(`[image: ${alt}]`);
    } else if (name === 'hr') {
      newline();
      out.push('---');
      newline();
    } else if (name === 'code' && pre === 0) out.push('`');
    else if (BLOCK.has(name)) newline(2);
  }
  const rest = source.slice(last);
  if (rest) out.push(pre > 0 ? decodeEntities(rest) : collapse(decodeEntities(rest)));

  const body = out
    .join('')
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/g, '').replace(/^ (?=\S)/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (title && !body.startsWith(title) && !body.startsWith(`# ${title}`)) return `# ${title}\n\n${body}`;
  return body;
}
