/** People: RSS author strings ("email (Name)", "Name <email>") and Atom person constructs. */
import type { ParsedPerson } from '../model';
import { resolveUrl } from './urls';
import { trimmedText, type XmlNode } from './xml-node';

const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+$/;

/**
 * Parses an RSS/Dublin Core author string: `email (Name)`, `Name <email>`, `Name (email)`, a bare email,
 * or a bare name. Undefined when empty.
 */
export function parseAuthorString(raw: string): ParsedPerson | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  if (s.endsWith(')')) {
    const open = s.indexOf('(');
    if (open > 0) {
      const outside = s.slice(0, open).trim();
      const inside = s.slice(open + 1, -1).trim();
      if (EMAIL.test(outside)) return inside ? { name: inside, email: outside } : { email: outside };
      if (EMAIL.test(inside)) return outside ? { name: outside, email: inside } : { email: inside };
    }
  }
  if (s.endsWith('>')) {
    const open = s.lastIndexOf('<');
    if (open >= 0) {
      const inside = s.slice(open + 1, -1).trim().replace(/^mailto:/i, '');
      const outside = s.slice(0, open).trim().replace(/^"(.*)"$/, '$1');
      if (EMAIL.test(inside)) return outside ? { name: outside, email: inside } : { email: inside };
    }
  }
  if (EMAIL.test(s)) return { email: s.replace(/^mailto:/i, '') };
  return { name: s };
}

/** An Atom person construct (name, email, uri; Atom 0.3 `url`, pre-0.3 `homepage`), the uri resolved against the element's base. */
export function atomPerson(node: XmlNode): ParsedPerson | undefined {
  const person: ParsedPerson = {};
  for (const c of node.children) {
    if (typeof c === 'string') continue;
    const value = trimmedText(c);
    if (value === undefined) continue;
    if (c.local === 'name') person.name = value;
    else if (c.local === 'email') person.email = value;
    else if (c.local === 'uri' || c.local === 'url' || c.local === 'homepage') person.url ??= resolveUrl(value, c.base);
  }
  if (person.name === undefined && person.email === undefined && person.url === undefined) {
    const bare = trimmedText(node);
    return bare === undefined ? undefined : parseAuthorString(bare);
  }
  return person;
}

/** Adds `person` to `list` unless an equal person is already there. */
export function addPerson(list: ParsedPerson[], person: ParsedPerson | undefined): void {
  if (!person) return;
  const dup = list.some((p) => p.name === person.name && p.email === person.email && p.url === person.url);
  if (!dup) list.push(person);
}
