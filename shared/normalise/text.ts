/** Plain text and sanitised HTML from markup and feed text constructs. */
import { Parser } from 'htmlparser2';
import { HtmlTokenizer } from './html-tokenizer';
import type { ParsedText } from '../model';
import { sanitizeHtml } from './sanitize';
import { Kind, TAG_KINDS, TextBuilder, WHITESPACE_RUN } from './text-builder';
import { stripNonXmlChars } from './xml-chars';

/**
 * Collapse runs of horizontal whitespace (including no-break spaces) to one space, trim every line,
 * keep at most one blank line, and trim the whole.
 */
export function tidyText(text: string): string {
  return stripNonXmlChars(text)
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n ][^\S\n]*| [^\S\n]+/g, ' ') // runs of horizontal whitespace, bar lone spaces
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Whitespace of every kind (line breaks included) collapsed to single spaces, trimmed: for titles. */
export function collapseWhitespace(text: string): string {
  return stripNonXmlChars(text).replace(WHITESPACE_RUN, ' ').trim();
}

/**
 * Plain text of an HTML fragment: tags removed, entities decoded, block elements on their own lines
 * (at most one blank line between), `<br>` as a newline, spaces collapsed, no script/style text.
 */
export function htmlToText(html: string): string {
  if (!html) return '';
  const text = new TextBuilder();
  if (!html.includes('<') && !html.includes('&')) {
    text.text(html); // no markup: HTML whitespace rules only
    return text.toString();
  }
  let hidden = 0;
  let pre = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        switch (TAG_KINDS.get(name)) {
          case Kind.Paragraph: text.breakLine(2); break;
          case Kind.Line: text.breakLine(1); break;
          case Kind.Cell: text.space(); break;
          case Kind.Hidden: hidden++; break;
          case Kind.Pre: pre++; text.breakLine(2); break;
          default:
        }
      },
      onclosetag(name) {
        switch (TAG_KINDS.get(name)) {
          case Kind.Paragraph: text.breakLine(2); break;
          case Kind.Line: if (name !== 'br') text.breakLine(1); break;
          case Kind.Hidden: hidden = Math.max(0, hidden - 1); break;
          case Kind.Pre: pre = Math.max(0, pre - 1); text.breakLine(2); break;
          default:
        }
      },
      ontext(run) {
        if (hidden > 0) return;
        if (pre > 0) text.preformatted(run);
        else text.text(run);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, Tokenizer: HtmlTokenizer },
  );
  parser.write(html);
  parser.end();
  return text.toString();
}

/** Plain text of a text construct on one line: html/xhtml through htmlToText, text as given. */
export function textOf(t: ParsedText | undefined): string {
  if (!t || !t.value) return '';
  return collapseWhitespace(t.type === 'text' ? t.value : htmlToText(t.value));
}

/** `s` with &, <, > and " escaped (as sanitizeHtml escapes them), safe in text and quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** HTML for plain text: escaped, each line break as `<br />`. */
export function textToHtml(text: string): string {
  return escapeHtml(stripNonXmlChars(text).trim()).replace(/\r\n?|\n/g, '<br />');
}

/**
 * Sanitised HTML of a text construct: type text is tidied and escaped with newlines as `<br />`, html/xhtml go
 * through sanitizeHtml with the construct's base. Undefined when there is nothing to show.
 */
export function htmlOf(t: ParsedText | undefined): string | undefined {
  if (!t || !t.value) return undefined;
  const html = t.type === 'text' ? textToHtml(tidyText(t.value)) : sanitizeHtml(t.value, t.base);
  return html.trim() === '' ? undefined : html;
}
