/**
 * Plain text of HTML that sanitizeHtml produced, without a second HTML parse. Exact for that output
 * only: every `<` starts a tag, no attribute value holds `>` (it is escaped), and the only entities
 * are &amp; &lt; &gt; &quot;. For any other HTML use htmlToText.
 */
import { Kind, TAG_KINDS, TextBuilder } from './text-builder';

const TAG = /<(\/?)([a-z0-9]+)[^>]*>/g;
const ENTITY = /&(amp|lt|gt|quot);/g;
const ENTITY_CHARS: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

function decode(s: string): string {
  return s.includes('&') ? s.replace(ENTITY, (_, name: string) => ENTITY_CHARS[name] ?? '') : s;
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
