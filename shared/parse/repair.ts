/** Textual repairs applied before XML parsing, for errors sax cannot recover from sensibly. */

const STRAY_LT = /<\s/;

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * Escapes each `<` that is followed by whitespace (never markup in XML, but common in hand-written RSS
 * text such as "a < b"), outside CDATA sections and comments, which keep their text exactly. sax would
 * otherwise read "< b ..." as a start tag and swallow the rest of the item. Returns the input itself when
 * there is nothing to repair. Linear: each `<` is looked at once.
 */
export function escapeStrayLessThan(text: string): { text: string; repaired: boolean } {
  if (!STRAY_LT.test(text)) return { text, repaired: false };
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
