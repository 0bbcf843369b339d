/**
 * Paragraph-level boilerplate in extracted text: glued tag lines, "Read more" / "Related:" teasers,
 * photo credits, share / newsletter / follow-us calls, datelines and the repeated headline.
 */

/** Short paragraphs (≤ 200 chars) dropped when they match. */
const SHORT_BOILERPLATE: readonly RegExp[] = [
  /^(?:tags?|tagged|tagged with|filed under|topics?|categories|category|keywords|mots-clés|schlagwörter|etiquetas)\s*[:：]/i,
  /^(?:read more|read next|see more|see also|more|related|related articles?|related stories|related content|recommended|also read|don'?t miss|must read|watch|more from [\w .]{1,40})\s*[:：]/i,
  /^(?:read more|read next|see more|related articles?|related stories|related content|recommended(?: for you)?|also on [\w.]+|don'?t miss|must read|continue reading(?: below)?|more from [\w .]{1,40}|you may also like|you might also like|most read|trending now|more stories)\s*[:.…!]?(?:\n|$)/i,
  /^click here\b/i,
  /^(?:share|share this|share on|share this (?:article|story)|tweet|pin it|email|print|comments?|\d+ comments?|leave a comment|advert(?:isement)?|sponsored|skip to content|sign in|log in|subscribe)\b\W*$/i,
  /^(?:photo|image|picture|foto|video|graphic)s?(?: credits?)?\s*[:：]/i,
  /^(?:\(?(?:photo|image|picture|credit|source)s?\s*[:：]?\s*[^)]{0,80}\)?|image copyright|image caption|media caption.*|media playback is unsupported.*)$/i,
  /(?:\((?:photo|image|picture|credit)s?\s*[:：]?[^)]{0,80}\)|credit\s*:\s*[\w .,/&'-]{1,60}|getty images|\bap photo\b[^.]{0,60}|reuters\/[\w ]+)\s*$/i,
  /^(?:published|updated|posted|last updated|first published|modified)\b\s*(?:[:|]|\d|(?:on\s+)?(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d|\d+ \w+ ago)/i,
  /^\|?\s*(?:updated|published)\s*:/i,
  /^[Bb][Yy]\s+[\p{Lu}][\p{L}.'’-]+(?:\s+[\p{Lu}][\p{L}.'’-]+){1,3}\s*(?:[-|,–—]\s*.*)?$/u,
  /^(?:follow (?:us|me|him|her|them)|like us on|join us on|sign up|get (?:the|our) .*newsletter|subscribe to|download (?:the|our) .*app|click here to)/i,
  /newsletter|sign up to|signup for|inbox\.?$|cookies?\b.*\b(?:accept|consent|policy)/i,
  /^(?:©|\(c\)|copyright\b)/i,
  /^(?:this (?:article|story|post) (?:was )?(?:originally )?(?:appeared|published|first appeared)|this post may contain affiliate)/i,
];

/** Any paragraph dropped when it matches, whatever its length. */
const ANY_BOILERPLATE: readonly RegExp[] = [
  /^(?:this document is subject to copyright|the contents of this site are ©|copyright © \d{4}|all rights reserved\.?$)/i,
  /^citation\s*:/i,
];

/** A date-only line: "Nov. 20, 2019", "05/10/2018 - …", "22 de janeiro de 2018 às 0:13". */
const DATE_LINE = /^(?:[\p{L}-]+[.,]?\s+)?(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\p{L}{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\.?\s+(?:de\s+)?\p{L}{3,9}\.?\s+(?:de\s+)?\d{4})\b.{0,60}$/u;

/** Words of a line, lower-cased, for comparing a paragraph with the title. */
function words(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** True when a paragraph is boilerplate. */
export function isBoilerplateLine(paragraph: string, title?: string): boolean {
  const p = paragraph.trim();
  if (p === '') return true;
  if (ANY_BOILERPLATE.some((re) => re.test(p))) return true;
  if (p.length <= 200 && SHORT_BOILERPLATE.some((re) => re.test(p))) return true;
  if (p.length <= 80 && DATE_LINE.test(p)) return true;
  if (title && p.length <= 300 && words(p) === words(title)) return true;
  return false;
}

/** The paragraphs without boilerplate lines (the headline repeated as a paragraph included). */
export function removeBoilerplateLines(paragraphs: readonly string[], title?: string): string[] {
  return paragraphs.filter((p) => !isBoilerplateLine(p, title));
}
