/**
 * The lexical rules of XML as sax applies them in strict mode, for the fast reader (xml-fast.ts): whitespace, the
 * ASCII part of its name characters, qualified names, and entity and character references.
 */
import sax from 'sax';
import { entityTable } from './entities';

/** The entity table readXml gives sax, before any DTD entities (documents with an internal subset are left to sax). */
const ENTITIES = entityTable(sax.parser(true).ENTITIES);
/** The five XML entities, which sax's table resolves to these same characters. */
const XML_ENTITIES: ReadonlyMap<string, string> = new Map([['lt', '<'], ['gt', '>'], ['amp', '&'], ['quot', '"'], ['apos', "'"]]);

/** True for XML whitespace as sax reads it (space, LF, CR, tab). */
export function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** True for an ASCII character that may start a name (sax's nameStart, ASCII part). */
export function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 58 || c === 95;
}

/** True for an ASCII character that may continue a name (sax's nameBody, ASCII part). */
export function isNameBody(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}

/** True for a code point XML's Char production allows. */
function isXmlChar(n: number): boolean {
  return n === 0x9 || n === 0xa || n === 0xd || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff);
}

/** Index of the `;` ending the reference whose `&` is at `at`, or -1 where sax would report an invalid name. */
export function entityReferenceEnd(s: string, at: number): number {
  const first = s.charCodeAt(at + 1);
  if (!(isNameStart(first) || first === 35)) return -1;
  for (let i = at + 2; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 59) return i;
    if (!(isNameBody(c) || c === 35)) return -1;
  }
  return -1;
}

/** What sax's parseEntity gives for `&name;`, or undefined where sax reports an invalid entity. */
export function entityValue(name: string): string | undefined {
  const xml = XML_ENTITIES.get(name);
  if (xml !== undefined) return xml;
  const named = ENTITIES[name] || ENTITIES[name.toLowerCase()];
  if (named) return named;
  let entity = name.toLowerCase();
  let num = NaN;
  let numStr = '';
  if (entity.charAt(0) === '#') {
    const hex = entity.charAt(1) === 'x';
    entity = entity.slice(hex ? 2 : 1);
    num = parseInt(entity, hex ? 16 : 10);
    numStr = num.toString(hex ? 16 : 10);
  }
  entity = entity.replace(/^0+/, '');
  if (isNaN(num) || numStr !== entity || num < 0 || num > 0x10ffff || !isXmlChar(num)) return undefined;
  return String.fromCodePoint(num);
}

/** XML's predefined entity references, with their length (`&` and `;` included). */
const PREDEFINED = {
  lt: { char: '<', length: 4 }, gt: { char: '>', length: 4 }, amp: { char: '&', length: 5 },
  apos: { char: "'", length: 6 }, quot: { char: '"', length: 6 },
} as const;

/** The predefined entity reference (`&lt;` ...) starting at `at` (sax's table gives the same characters), if any. */
export function predefinedEntityAt(s: string, at: number): { char: string; length: number } | undefined {
  switch (s.charCodeAt(at + 1)) {
    case 108: return s.startsWith('lt;', at + 1) ? PREDEFINED.lt : undefined;
    case 103: return s.startsWith('gt;', at + 1) ? PREDEFINED.gt : undefined;
    case 97: return s.startsWith('amp;', at + 1) ? PREDEFINED.amp : s.startsWith('apos;', at + 1) ? PREDEFINED.apos : undefined;
    case 113: return s.startsWith('quot;', at + 1) ? PREDEFINED.quot : undefined;
    default: return undefined;
  }
}

/** Prefix and local part of a name with at most one colon, as sax's qname splits it; undefined for other names. */
export function splitName(name: string): [string, string] | undefined {
  const colon = name.indexOf(':');
  if (colon < 0) return ['', name];
  if (colon === 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) >= 0) return undefined;
  return [name.slice(0, colon), name.slice(colon + 1)];
}
