/**
 * htmlparser2's tokenizer, skipping plain text in bulk. With entity decoding on, its Text state looks at every
 * character although only `<` and `&` do anything there (and in a quoted attribute value only the quote and `&`);
 * this subclass jumps straight to the next such character, so the parser sees exactly the same events, faster.
 * It relies on the tokenizer's internals (htmlparser2 is pinned); if they ever change shape, the plain tokenizer
 * is used instead.
 */
import { Tokenizer } from 'htmlparser2';

/** The tokenizer's own fields and states this subclass reads or replaces (private in its typings). */
interface TokenizerInternals {
  buffer: string;
  index: number;
  offset: number;
  decodeEntities: boolean;
  stateText(c: number): void;
  handleInAttributeValue(c: number, quote: number): void;
  nextPositions: NextPositions;
}

const LT = 60;
const AMP = 38;
const DOUBLE_QUOTE = 34;

/** Cached positions of the next `<`, `&` and quotes in the current buffer, so dense markup stays linear. */
class NextPositions {
  private buffer = '';
  private lt = -1;
  private amp = -1;
  private doubleQuote = -1;
  private singleQuote = -1;

  /** The buffer index of the next `char` (one of < & " ') at or after `from`, or Infinity. */
  next(buffer: string, char: number, from: number): number {
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.lt = this.amp = this.doubleQuote = this.singleQuote = -1;
    }
    const cached = char === LT ? this.lt : char === AMP ? this.amp : char === DOUBLE_QUOTE ? this.doubleQuote : this.singleQuote;
    if (cached >= from) return cached;
    const at = buffer.indexOf(String.fromCharCode(char), from);
    const position = at < 0 ? Infinity : at;
    if (char === LT) this.lt = position;
    else if (char === AMP) this.amp = position;
    else if (char === DOUBLE_QUOTE) this.doubleQuote = position;
    else this.singleQuote = position;
    return position;
  }
}

/** Moves the tokenizer to just before the next of `a` or `b` (its loop then steps onto it), or to the buffer's end. */
function skipToNext(t: TokenizerInternals, a: number, b: number): void {
  const p = t.nextPositions;
  const from = t.index - t.offset + 1;
  const next = Math.min(p.next(t.buffer, a, from), p.next(t.buffer, b, from));
  t.index = (next === Infinity ? t.buffer.length : next) + t.offset - 1;
}

/** htmlparser2's Tokenizer with bulk skipping of text and attribute values. */
class TextSkippingTokenizer extends Tokenizer {
  readonly nextPositions = new NextPositions();
}

const base = Tokenizer.prototype as unknown as TokenizerInternals;
const patched = TextSkippingTokenizer.prototype as unknown as TokenizerInternals;
const canPatch = typeof base.stateText === 'function' && typeof base.handleInAttributeValue === 'function';
if (canPatch) {
  patched.stateText = function stateText(this: TokenizerInternals, c: number): void {
    if (c === LT || c === AMP || !this.decodeEntities) base.stateText.call(this, c);
    else skipToNext(this, LT, AMP);
  };
  patched.handleInAttributeValue = function handleInAttributeValue(this: TokenizerInternals, c: number, quote: number): void {
    if (c === quote || c === AMP || !this.decodeEntities) base.handleInAttributeValue.call(this, c, quote);
    else skipToNext(this, quote, AMP);
  };
}

/** The tokenizer class to hand htmlparser2's Parser (`Tokenizer` option). */
export const HtmlTokenizer: typeof Tokenizer = canPatch ? TextSkippingTokenizer : Tokenizer;
