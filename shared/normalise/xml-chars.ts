/**
 * Characters XML 1.0 cannot carry even escaped, so they never reach stored or published text; and C1
 * control characters, which in feed text are windows-1252 bytes mis-decoded as ISO-8859-1 code points.
 */

// Quick screen: any candidate at all (this also matches well-paired surrogates, i.e. astral
// characters such as emoji, which the precise pattern below then leaves alone).
const MAYBE_NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u0080-\u009f\ud800-\udfff\ufffe\uffff]/;
// C0 controls other than tab, LF and CR; U+FFFE and U+FFFF; unpaired surrogates (the `u` flag makes
// the surrogate range match only halves that are not part of a pair).
const NOT_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/gu;
const C1_CONTROLS = /[\u0080-\u009f]/g;

/**
 * windows-1252 bytes 0x80–0x9F as characters (WHATWG Encoding index), '' for the five bytes it leaves
 * undefined. The HTML standard applies the same table to character references &#128;–&#159;.
 */
const WINDOWS_1252_C1 = [
  '€', '', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '', 'Ž', '',
  '', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '', 'ž', 'Ÿ',
];

function windows1252(c: string): string {
  return WINDOWS_1252_C1[c.charCodeAt(0) - 0x80] ?? '';
}

/**
 * `s` without the characters XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates),
 * and with each C1 control (U+0080–U+009F, never meant as such in feed text) read as its windows-1252
 * character: "don\u0092t" → "don’t".
 */
export function stripNonXmlChars(s: string): string {
  if (!MAYBE_NOT_XML.test(s)) return s;
  return s.replace(NOT_XML_CHARS, '').replace(C1_CONTROLS, windows1252);
}
