/** What the HTML sanitiser lets through: tags, attributes per tag, and which URLs are safe. */

/** Attributes allowed on every allowed tag. */
const GLOBAL_ATTRIBUTES = ['title', 'lang', 'dir'];
const CELL_ATTRIBUTES = ['colspan', 'rowspan', 'headers', 'scope', 'abbr', 'align', 'valign', 'width', 'height'];
const ROW_ATTRIBUTES = ['align', 'valign'];

/** Allowed tags, each with the attributes it may carry besides the global ones. */
const TAG_ATTRIBUTES: Record<string, string[]> = {
  p: ['align'], br: [], a: ['href'], b: [], strong: [], i: [], em: [], u: [], s: [], strike: [],
  sub: [], sup: [], blockquote: ['cite'], q: ['cite'], cite: [], code: [], pre: [], kbd: [],
  samp: [], var: [], ul: [], ol: ['start', 'type', 'reversed'], li: [], dl: [], dt: [], dd: [],
  h1: ['align'], h2: ['align'], h3: ['align'], h4: ['align'], h5: ['align'], h6: ['align'],
  hr: ['align', 'width'], img: ['src', 'srcset', 'alt', 'width', 'height', 'align'],
  figure: [], figcaption: [], picture: [], source: ['src', 'srcset', 'type', 'media'],
  table: ['align', 'width'], thead: ROW_ATTRIBUTES, tbody: ROW_ATTRIBUTES, tfoot: ROW_ATTRIBUTES,
  tr: ROW_ATTRIBUTES, th: CELL_ATTRIBUTES, td: CELL_ATTRIBUTES, caption: ['align'],
  colgroup: ['width', 'align', 'valign'], col: ['width', 'align', 'valign'], span: [], div: ['align'],
  abbr: [], acronym: [], address: [], del: ['cite', 'datetime'], ins: ['cite', 'datetime'], mark: [],
  small: [], big: [], time: ['datetime'],
  audio: ['src', 'controls', 'loop', 'muted'],
  video: ['src', 'controls', 'loop', 'muted', 'poster', 'width', 'height'],
  track: ['src', 'kind', 'srclang', 'label'], details: [], summary: [], center: [], font: [],
};

/** The allowed tag names. */
export const ALLOWED_TAGS: string[] = Object.keys(TAG_ATTRIBUTES);

/** Allowed attribute names per allowed tag (globals included). */
export const ALLOWED_ATTRIBUTES: Record<string, string[]> = Object.fromEntries(
  ALLOWED_TAGS.map((tag) => [tag, [...GLOBAL_ATTRIBUTES, ...(TAG_ATTRIBUTES[tag] ?? [])]]),
);

/**
 * Disallowed elements whose content goes too: script and style are code, noscript/template/title
 * are not page text, svg and math carry their own (scriptable) namespaces and are the classic
 * mutation-XSS carriers, iframe/noembed/noframes hold fallback markup, and textarea/option/select/xmp
 * hold form or raw text that would otherwise surface as stray text.
 */
export const DROPPED_WITH_CONTENT: string[] = [
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'title', 'head',
  'iframe', 'frameset', 'noembed', 'noframes', 'textarea', 'option', 'select', 'xmp', 'plaintext',
];

/** Void elements, always serialised self-closed (`<br />`) so the output reads the same as XHTML. */
export const VOID_TAGS: string[] = ['br', 'hr', 'img', 'source', 'track', 'col', 'wbr'];

/** Boolean attributes, serialised as `name="name"` so the output is also well-formed XML. */
export const BOOLEAN_ATTRIBUTES: string[] = ['controls', 'loop', 'muted', 'reversed'];

/** Attributes whose whole value is one URL. */
export const URL_ATTRIBUTES: string[] = ['href', 'src', 'poster', 'cite'];

/**
 * URL schemes allowed in any URL attribute. Everything else is dropped: javascript: and vbscript: run
 * code; data: is dropped too because data:text/html and data:image/svg+xml documents can carry
 * script and data: URLs are a common XSS vector; file: and other local schemes leak or probe the
 * reader's machine.
 */
export const ALLOWED_SCHEMES: string[] = ['http', 'https', 'mailto'];

// C0 controls and DEL: browsers strip or ignore them inside URLs, so `jav&#x09;ascript:` still runs.
const URL_CONTROL_CHARS = /[\u0000-\u001f\u007f]+/g;
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.\-]*):/;

/**
 * A URL attribute value that is safe to emit, or undefined to drop the attribute: control characters
 * removed, scheme checked against ALLOWED_SCHEMES, relative URLs resolved against `base` (kept as
 * given without one).
 */
export function safeUrl(raw: string, base?: string): string | undefined {
  const cleaned = raw.replace(URL_CONTROL_CHARS, '').trim();
  if (cleaned === '') return undefined;
  const scheme = SCHEME.exec(cleaned)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!ALLOWED_SCHEMES.includes(scheme)) return undefined;
    if (scheme === 'mailto') return cleaned;
    try {
      return new URL(cleaned).href;
    } catch {
      return undefined;
    }
  }
  if (!base) return cleaned;
  try {
    const resolved = new URL(cleaned, base);
    return resolved.protocol === 'http:' || resolved.protocol === 'https:' ? resolved.href : undefined;
  } catch {
    return cleaned;
  }
}

const SRCSET_DESCRIPTOR = /^(?:\d+w|(?:\d+(?:\.\d+)?|\.\d+)x)$/;

/**
 * A srcset value with every candidate URL passed through safeUrl; candidates with unsafe URLs or
 * malformed descriptors are dropped. Undefined when no candidate survives.
 */
export function safeSrcset(raw: string, base?: string): string | undefined {
  const out: string[] = [];
  const value = raw.replace(URL_CONTROL_CHARS, ' ');
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i]!)) i++;
    if (i >= value.length) break;
    let end = i;
    while (end < value.length && !/\s/.test(value[end]!)) end++;
    let url = value.slice(i, end);
    i = end;
    let descriptor = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      let depth = 0;
      while (i < value.length && (value[i] !== ',' || depth > 0)) {
        if (value[i] === '(') depth++;
        else if (value[i] === ')') depth = Math.max(0, depth - 1);
        descriptor += value[i];
        i++;
      }
      descriptor = descriptor.trim();
    }
    if (descriptor !== '' && !SRCSET_DESCRIPTOR.test(descriptor)) continue;
    const safe = url === '' ? undefined : safeUrl(url, base);
    if (safe === undefined) continue;
    out.push(descriptor ? `${safe} ${descriptor}` : safe);
  }
  return out.length ? out.join(', ') : undefined;
}
