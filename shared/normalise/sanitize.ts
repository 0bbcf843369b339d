/**
 * The HTML sanitiser: one streaming pass over htmlparser2's events with an allowlist policy
 * (sanitize-policy.ts). Nothing is built per call but the output: no DOM, no per-call option maps.
 */
import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';
import { HtmlTokenizer } from './html-tokenizer';
import {
  ALLOWED_ATTRIBUTES, BOOLEAN_ATTRIBUTES, DROPPED_WITH_CONTENT, URL_ATTRIBUTES, VOID_TAGS, safeSrcset, safeUrl,
} from './sanitize-policy';
import { isPlainText, SanitisedText } from './sanitised-text';
import { stripNonXmlChars } from './xml-chars';

/** Deeper nesting than this is flattened (content kept) so no consumer recurses without bound. */
const NESTING_LIMIT = 100;

const ATTRIBUTES_BY_TAG: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(ALLOWED_ATTRIBUTES).map(([tag, names]) => [tag, new Set(names)]),
);
const DROPPED: ReadonlySet<string> = new Set(DROPPED_WITH_CONTENT);
const VOID: ReadonlySet<string> = new Set(VOID_TAGS);
const URL_ATTRS: ReadonlySet<string> = new Set(URL_ATTRIBUTES);
const BOOLEAN: ReadonlySet<string> = new Set(BOOLEAN_ATTRIBUTES);

/** What an open element turned into: emitted (its end tag is due), dropped with its content, or left out. */
const enum Fate { Emitted, Dropped, Omitted }

/** Text escaped for element content (&, < and >). */
function escapeText(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
}

/** Text escaped for a double-quoted attribute value. */
function escapeAttr(text: string): string {
  return /[&<>"]/.test(text)
    ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    : text;
}

/** The start tag of an allowed element: only its allowlisted attributes, URLs made safe, booleans spelt out. */
function startTag(name: string, attribs: Record<string, string>, allowed: ReadonlySet<string>, base: string | undefined): string {
  let out = `<${name}`;
  for (const attr in attribs) {
    if (!allowed.has(attr)) continue;
    const value = attribs[attr] ?? '';
    let kept: string | undefined;
    if (URL_ATTRS.has(attr)) kept = safeUrl(value, base);
    else if (attr === 'srcset') kept = safeSrcset(value, base);
    else if (BOOLEAN.has(attr)) kept = attr;
    else if (value !== '' || attr === 'alt') kept = value;
    if (kept !== undefined) out += ` ${attr}="${escapeAttr(kept)}"`;
  }
  return VOID.has(name) ? `${out} />` : `${out}>`;
}

/**
 * Sanitised HTML: only allowlisted tags and attributes, no scripting (script/style/svg/math/... are
 * dropped with their content, nested ones included; on* and style attributes never pass), URL attributes
 * limited to http/https/mailto and relative URLs resolved against `base`, void elements self-closed,
 * unclosed elements closed, text and attribute values re-escaped, and no character XML cannot carry.
 */
export function sanitizeHtml(html: string, base?: string): string {
  return sanitize(html, base, undefined);
}

/** sanitizeHtml's output and its plain text (what textOfSanitisedHtml gives for it), from the one parse. */
export function sanitizeHtmlWithText(html: string, base?: string): { html: string; text: string } {
  const text = new SanitisedText();
  const out = sanitize(html, base, text);
  return { html: out, text: text.finish() };
}

/** The sanitiser's single pass; `text`, when given, is told each text run and tag that goes into the output. */
function sanitize(html: string, base: string | undefined, text: SanitisedText | undefined): string {
  if (!html) return '';
  // No tag at all: the result is the decoded text re-escaped, which needs no HTML parse.
  if (!html.includes('<')) {
    const decoded = decodeHTML(html);
    text?.text(decoded);
    return stripNonXmlChars(escapeText(decoded));
  }
  const parts: string[] = [];
  const fates: Fate[] = [];
  let dropped = 0; // open elements dropped with their content
  let depth = 0; // emitted elements open
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (dropped > 0 || DROPPED.has(name)) {
          dropped++;
          fates.push(Fate.Dropped);
          return;
        }
        const allowed = ATTRIBUTES_BY_TAG.get(name);
        if (allowed === undefined || depth >= NESTING_LIMIT) {
          fates.push(Fate.Omitted);
          return;
        }
        parts.push(startTag(name, attribs, allowed, base));
        text?.tag(name, false);
        if (VOID.has(name)) {
          fates.push(Fate.Omitted); // already complete; its close event adds nothing
          return;
        }
        depth++;
        fates.push(Fate.Emitted);
      },
      onclosetag(name) {
        const fate = fates.pop();
        if (fate === Fate.Dropped) dropped--;
        else if (fate === Fate.Emitted) {
          depth--;
          parts.push(`</${name}>`);
          text?.tag(name, true);
        }
      },
      ontext(run) {
        if (dropped > 0) return;
        if (!text) {
          parts.push(escapeText(run));
        } else if (isPlainText(run)) {
          parts.push(run); // nothing to escape
          text.plainText(run);
        } else {
          parts.push(escapeText(run));
          text.text(run);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, Tokenizer: HtmlTokenizer },
  );
  parser.write(stripNonXmlChars(html));
  parser.end();
  return stripNonXmlChars(parts.join(''));
}
