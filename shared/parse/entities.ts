/**
 * The entity table handed to sax: XML's five entities, every HTML named entity (RSS feeds use &nbsp;,
 * &eacute;, &mdash; ... without declaring them), and the internal DTD's general entities, expanded with a
 * hard budget so a "billion laughs" document cannot blow up. External entities are never fetched.
 */
import { decodeHTMLStrict } from 'entities';

/** Longest expansion allowed for one declared entity, in characters. */
const MAX_ENTITY_CHARS = 16_384;
/** Total characters all declared-entity references in one document may insert. */
const MAX_TOTAL_EXPANSION = 1_000_000;
/** Declared entities considered at most (the rest are ignored). */
const MAX_DECLARED = 1_000;

const htmlCache = new Map<string, string | undefined>();

/** The HTML named entity `name` (without & and ;), decoded; undefined when HTML has no such entity. */
export function htmlEntity(name: string): string | undefined {
  if (htmlCache.has(name)) return htmlCache.get(name);
  let value: string | undefined;
  if (name.length > 0 && name.length < 40 && name[0] !== '#') {
    const ref = `&${name};`;
    const decoded = decodeHTMLStrict(ref);
    value = decoded !== ref && decoded.length <= 4 ? decoded : undefined;
  }
  if (htmlCache.size < 4096) htmlCache.set(name, value);
  return value;
}

/** What installing a DTD's entities found: how many, and whether any were refused for size or recursion. */
export interface DtdOutcome {
  declared: number;
  refused: string[];
}

/** Wraps sax's own table so that unknown names fall back to HTML entities. */
export function entityTable(base: Record<string, string>): Record<string, string> {
  return new Proxy(base, {
    get(target, key) {
      const v = Reflect.get(target, key);
      if (v !== undefined || typeof key !== 'string') return v;
      return htmlEntity(key);
    },
  });
}

const DECLARATION = /<!ENTITY\s+([^\s%"'<>]+)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;
const REFERENCE = /&([^&;\s]{1,64});/g;

/**
 * Reads the internal subset of `doctype` (sax's doctype text) and defines each `<!ENTITY name "value">` on
 * `table` with its references expanded. An entity whose expansion exceeds the per-entity limit or recurses
 * is refused (its references stay literal); all uses together are capped by a document-wide budget.
 */
export function installDtdEntities(doctype: string, table: Record<string, string>): DtdOutcome {
  const open = doctype.indexOf('[');
  if (open < 0) return { declared: 0, refused: [] };
  const subset = doctype.slice(open);
  const raw = new Map<string, string>();
  for (const m of subset.matchAll(DECLARATION)) {
    const name = m[1];
    if (name === undefined || raw.has(name)) continue;
    raw.set(name, m[2] ?? m[3] ?? '');
    if (raw.size >= MAX_DECLARED) break;
  }
  const expanded = new Map<string, string | null>();
  const inProgress = new Set<string>();
  const refused: string[] = [];

  const expand = (name: string): string | null => {
    const done = expanded.get(name);
    if (done !== undefined) return done;
    const value = raw.get(name);
    if (value === undefined || inProgress.has(name)) return null;
    inProgress.add(name);
    const parts: string[] = [];
    let size = 0;
    let ok = true;
    let last = 0;
    for (const m of value.matchAll(REFERENCE)) {
      const ref = m[1] ?? '';
      const at = m.index ?? 0;
      parts.push(value.slice(last, at));
      size += at - last;
      last = at + m[0].length;
      let piece: string | null | undefined;
      if (raw.has(ref)) piece = expand(ref);
      else piece = Reflect.get(table, ref) as string | undefined ?? m[0];
      if (piece === null) { ok = false; break; }
      size += piece.length;
      if (size > MAX_ENTITY_CHARS) { ok = false; break; }
      parts.push(piece);
    }
    if (ok) {
      parts.push(value.slice(last));
      size += value.length - last;
      if (size > MAX_ENTITY_CHARS) ok = false;
    }
    inProgress.delete(name);
    const result = ok ? parts.join('') : null;
    expanded.set(name, result);
    if (!ok) refused.push(name);
    return result;
  };

  let budget = MAX_TOTAL_EXPANSION;
  for (const name of raw.keys()) {
    const value = expand(name);
    if (value === null || value === '') continue;
    Object.defineProperty(table, name, {
      configurable: true,
      enumerable: true,
      get() {
        if (budget < value.length) return undefined;
        budget -= value.length;
        return value;
      },
    });
  }
  return { declared: raw.size, refused };
}
