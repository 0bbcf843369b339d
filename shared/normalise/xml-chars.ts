/** Characters XML 1.0 cannot carry even escaped, so they never reach stored or published text. */

// Quick screen: any candidate at all (this also matches well-paired surrogates, i.e. astral
// characters such as emoji, which the precise pattern below then leaves alone).
const MAYBE_NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
// C0 controls other than tab, LF and CR; U+FFFE and U+FFFF; unpaired surrogates (the `u` flag makes
// the surrogate range match only halves that are not part of a pair).
const NOT_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/gu;

/** `s` without the characters XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
export function stripNonXmlChars(s: string): string {
  return MAYBE_NOT_XML.test(s) ? s.replace(NOT_XML_CHARS, '') : s;
}
