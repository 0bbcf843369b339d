/** Textual repairs applied before XML parsing, for errors sax cannot recover from sensibly. */

/** An `&` that does not start a well-formed reference (`&name;`, `&#123;`, `&#x1F;`). Names are kept short. */
const STRAY_AMP = /&(?![A-Za-z_:][\w.:-]{0,63};|#[0-9]{1,8};|#x[0-9a-fA-F]{1,8};)/;
const STRAY_AMP_ALL = new RegExp(STRAY_AMP.source, 'g');
const STRAY_AMP_HERE = new RegExp(STRAY_AMP.source, 'y');

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** True when some `<` is followed by XML whitespace (anywhere: a quick screen, faster than a regular expression). */
function hasLessThanSpace(text: string): boolean {
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    if (isXmlSpace(text.charCodeAt(i + 1))) return true;
  }
  return false;
}

/** True when some `&` does not start a well-formed reference (STRAY_AMP.test, looking only where `&` is). */
function hasStrayAmpersand(text: string): boolean {
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    STRAY_AMP_HERE.lastIndex = i;
    if (STRAY_AMP_HERE.test(text)) return true;
  }
  return false;
}

/**
 * Escapes each `<` that is followed by whitespace (never markup in XML, but common in hand-written RSS
 * text such as "a < b"), outside CDATA sections and comments, which keep their text exactly. sax would
 * otherwise read "< b ..." as a start tag and swallow the rest of the item. Returns the input itself when
 * there is nothing to repair. Linear: each `<` is looked at once.
 */
export function escapeStrayLessThan(text: string): { text: string; repaired: boolean } {
  if (!hasLessThanSpace(text)) return { text, repaired: false };
  const parts: string[] = [];
  let last = 0;
  let i = 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) break;
      i = end + 3;
      continue;
    }
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) break;
      i = end + 3;
      continue;
    }
    if (isXmlSpace(text.charCodeAt(lt + 1))) {
      parts.push(text.slice(last, lt), '&lt;');
      last = lt + 1;
    }
    i = lt + 1;
  }
  if (parts.length === 0) return { text, repaired: false };
  parts.push(text.slice(last));
  return { text: parts.join(''), repaired: true };
}

/**
 * Escapes each `&` that does not start a well-formed entity or character reference (XML 1.0 §4.1), outside
 * CDATA sections and comments, as `&amp;`. sax reads "&c</link>" as an entity name running into the end tag
 * and turns the tag into text; escaped, the `&` stays literal text as a lenient reader shows it. Returns the
 * input itself when there is nothing to repair. Linear.
 */
export function escapeStrayAmpersands(text: string): { text: string; repaired: boolean } {
  if (!hasStrayAmpersand(text)) return { text, repaired: false };
  const parts: string[] = [];
  let last = 0;
  let i = 0;
  const escapeUpTo = (end: number): void => {
    const chunk = text.slice(last, end);
    const fixed = chunk.replace(STRAY_AMP_ALL, '&amp;');
    parts.push(fixed);
    last = end;
  };
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    const opener = text.startsWith('<![CDATA[', lt) ? ']]>' : text.startsWith('<!--', lt) ? '-->' : undefined;
    if (opener === undefined) {
      i = lt + 1;
      continue;
    }
    const end = text.indexOf(opener, lt + 4);
    escapeUpTo(lt);
    if (end < 0) {
      last = text.length;
      parts.push(text.slice(lt));
      break;
    }
    parts.push(text.slice(lt, end + 3));
    last = end + 3;
    i = last;
  }
  if (last < text.length) escapeUpTo(text.length);
  const out = parts.join('');
  return out === text ? { text, repaired: false } : { text: out, repaired: true };
}
