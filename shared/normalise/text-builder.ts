/** Plain-text assembly shared by the HTML-to-text converters: element kinds and a tidy text builder. */
import { stripNonXmlChars } from './xml-chars';

/** How an element affects the plain text around it. */
export enum Kind { Line = 1, Paragraph, Cell, Hidden, Pre }

/** The elements that affect plain text, by kind; every other element is inline. */
export const TAG_KINDS = new Map<string, Kind>();
// Paragraph-like elements: a blank line before and after.
for (const tag of [
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'dl', 'table', 'figure', 'hr',
  'address', 'article', 'aside', 'section', 'header', 'footer', 'nav', 'main', 'details', 'fieldset',
  'form', 'center', 'menu', 'hgroup', 'body', 'html',
]) TAG_KINDS.set(tag, Kind.Paragraph);
// Elements that start on a line of their own.
for (const tag of [
  'br', 'div', 'li', 'dt', 'dd', 'tr', 'caption', 'figcaption', 'summary', 'legend', 'option',
  'picture', 'video', 'audio', 'thead', 'tbody', 'tfoot',
]) TAG_KINDS.set(tag, Kind.Line);
// Elements whose text is never shown as page text.
for (const tag of [
  'script', 'style', 'template', 'noscript', 'title', 'head', 'iframe', 'noembed', 'noframes',
  'object', 'svg', 'select', 'textarea',
]) TAG_KINDS.set(tag, Kind.Hidden);
// Table cells: separated by a space so neighbouring cells do not run together.
TAG_KINDS.set('td', Kind.Cell);
TAG_KINDS.set('th', Kind.Cell);
// Preformatted text keeps its line breaks (a paragraph of its own).
TAG_KINDS.set('pre', Kind.Pre);

/**
 * Runs of whitespace of any kind (including no-break spaces), except a run that is one plain space: replacing
 * these with a space collapses every run, like `/\s+/g`, without a match (and a copy) at each word gap.
 */
export const WHITESPACE_RUN = /[^\S ]\s*| \s+/g;
const LINE_BREAK = /\r\n?|\n/;

/** Builds tidy text from a stream of text runs and breaks: spaces collapsed, at most one blank line. */
export class TextBuilder {
  private out = '';
  /** Pending break before the next text: 0 none, 1 newline, 2 blank line. */
  private pendingBreak = 0;
  private pendingSpace = false;

  breakLine(size: 1 | 2): void {
    if (size > this.pendingBreak) this.pendingBreak = size;
  }

  space(): void {
    this.pendingSpace = true;
  }

  /** Append a run whose whitespace is collapsed to single spaces. */
  text(run: string): void {
    this.appendCollapsed(run.replace(WHITESPACE_RUN, ' '));
  }

  /** text(run) for a run whose only whitespace character is the plain space (so only `  ` can need collapsing). */
  textSpacedOnly(run: string): void {
    this.appendCollapsed(run.includes('  ') ? run.replace(WHITESPACE_RUN, ' ') : run);
  }

  private appendCollapsed(collapsed: string): void {
    if (collapsed === '' || collapsed === ' ') {
      if (collapsed === ' ') this.pendingSpace = true;
      return;
    }
    const lead = collapsed.charCodeAt(0) === 32;
    const trail = collapsed.charCodeAt(collapsed.length - 1) === 32;
    if (this.out !== '') {
      if (this.pendingBreak) this.out += this.pendingBreak === 2 ? '\n\n' : '\n';
      else if (this.pendingSpace || lead) this.out += ' ';
    }
    this.out += collapsed.slice(lead ? 1 : 0, trail ? collapsed.length - 1 : collapsed.length);
    this.pendingBreak = 0;
    this.pendingSpace = trail;
  }

  /** Append preformatted text: line breaks kept (at most one blank line), spaces collapsed. */
  preformatted(run: string): void {
    const lines = run.split(LINE_BREAK);
    for (let i = 0; i < lines.length; i++) {
      if (i > 0) this.pendingBreak = Math.min(2, this.pendingBreak + 1);
      this.text(lines[i]!);
    }
  }

  toString(): string {
    return stripNonXmlChars(this.out);
  }

  /** The text as built, when every run given was already free of characters XML cannot carry (toString's check). */
  toStringOfCleanRuns(): string {
    return this.out;
  }
}

