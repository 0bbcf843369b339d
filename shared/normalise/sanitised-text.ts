/**
 * Plain text of HTML that sanitizeHtml produced, without a second HTML parse. Exact for that output
 * only: every `<` starts a tag, no attribute value holds `>` (it is escaped), and the only entities
 * are &amp; &lt; &gt; &quot;. For any other HTML use htmlToText.
 */
import { Kind, TAG_KINDS, TextBuilder } from './text-builder';
import { stripNonXmlChars } from './xml-chars';

const TAG = /<(\/?)([a-z0-9]+)[^>]*>/g;
const ENTITY = /&(amp|lt|gt|quot);/g;
const ENTITY_CHARS: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

function decode(s: string): string {
  return s.includes('&') ? s.replace(ENTITY, (_, name: string) => ENTITY_CHARS[name] ?? '') : s;
}

/**
 * Plain text assembled from the sanitiser's output as it is produced: the text between emitted tags (unescaped)
 * and the emitted tags themselves. Gives what textOfSanitisedHtml gives for the finished output.
 */
export class SanitisedText {
  private readonly builder = new TextBuilder();
  private readonly pending: string[] = [];
  /** Whether every pending run is plain (see plainText). */
  private pendingPlain = true;
  private pre = 0;

  /** Text the sanitiser emits (before escaping). */
  text(run: string): void {
    this.pending.push(run);
    this.pendingPlain = false;
  }

  /** Text the sanitiser emits that isPlainText says is plain. */
  plainText(run: string): void {
    this.pending.push(run);
  }

  /** A tag the sanitiser emits: `<name ...>` (void elements included) or `</name>`. */
  tag(name: string, closing: boolean): void {
    this.flush();
    switch (TAG_KINDS.get(name)) {
      case Kind.Paragraph: this.builder.breakLine(2); break;
      case Kind.Line: if (!closing || name !== 'br') this.builder.breakLine(1); break;
      case Kind.Cell: if (!closing) this.builder.space(); break;
      case Kind.Pre: this.pre = Math.max(0, this.pre + (closing ? -1 : 1)); this.builder.breakLine(2); break;
      default:
    }
  }

  /** The text of the whole output. */
  finish(): string {
    this.flush();
    // Each run was stripped, and joining stripped runs with spaces and newlines leaves nothing to strip.
    return this.builder.toStringOfCleanRuns();
  }

  /** Adds the text since the last tag, as the output holds it (its characters XML cannot carry removed). */
  private flush(): void {
    if (this.pending.length === 0) return;
    const joined = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    const plain = this.pendingPlain;
    this.pending.length = 0;
    this.pendingPlain = true;
    if (plain) {
      // Nothing to strip, and no whitespace but spaces: the same as below, with less scanning.
      if (this.pre > 0) this.builder.preformatted(joined);
      else this.builder.textSpacedOnly(joined);
      return;
    }
    const run = stripNonXmlChars(joined);
    if (this.pre > 0) this.builder.preformatted(run);
    else this.builder.text(run);
  }
}

/**
 * Characters a text run may hold for isPlainText to be true of it: none that needs escaping in HTML (& < >), none
 * that stripNonXmlChars removes or replaces, and no whitespace but the plain space.
 */
const NOT_PLAIN = /[&<>\u0000-\u001f\u0080-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ud800-\udfff\ufeff\ufffe\uffff]/;

/** True for text that escaping and stripping leave as it is and whose only whitespace is the space character. */
export function isPlainText(run: string): boolean {
  return !NOT_PLAIN.test(run);
}

/** The same text htmlToText gives for sanitizeHtml output, from one regular-expression scan. */
export function textOfSanitisedHtml(html: string): string {
  const text = new TextBuilder();
  let pre = 0;
  let last = 0;
  const emit = (end: number): void => {
    if (end <= last) return;
    const run = decode(html.slice(last, end));
    if (pre > 0) text.preformatted(run);
    else text.text(run);
  };
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m !== null; m = TAG.exec(html)) {
    emit(m.index);
    last = TAG.lastIndex;
    const closing = m[1] === '/';
    const name = m[2]!;
    switch (TAG_KINDS.get(name)) {
      case Kind.Paragraph: text.breakLine(2); break;
      case Kind.Line: if (!closing || name !== 'br') text.breakLine(1); break;
      case Kind.Cell: if (!closing) text.space(); break;
      case Kind.Pre: pre = Math.max(0, pre + (closing ? -1 : 1)); text.breakLine(2); break;
      default:
    }
  }
  emit(html.length);
  return text.toString();
}
