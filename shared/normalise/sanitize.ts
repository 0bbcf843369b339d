/** The HTML sanitiser: an allowlist on sanitize-html, hardened where sanitize-html guarantees nothing. */
import { decodeHTML } from 'entities';
import sanitize from 'sanitize-html';
import {
  ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS, BOOLEAN_ATTRIBUTES, DROPPED_WITH_CONTENT,
  URL_ATTRIBUTES, VOID_TAGS, safeSrcset, safeUrl,
} from './sanitize-policy';
import { stripNonXmlChars } from './xml-chars';

/** Deeper nesting than this is flattened (content kept) so no consumer recurses without bound. */
const NESTING_LIMIT = 100;

/** Allowed attribute names per allowed tag, as sets. */
const ATTRIBUTES_BY_TAG = new Map(
  Object.entries(ALLOWED_ATTRIBUTES).map(([tag, names]) => [tag, new Set(names)]),
);
const NO_ATTRIBUTES = new Set<string>();

const BASE_OPTIONS: sanitize.IOptions = {
  allowedTags: ALLOWED_TAGS,
  // The attribute allowlist is enforced by keepAllowedAttributes (below), which runs on every tag
  // before sanitize-html looks at it: sanitize-html rebuilds its own allowlist maps on every call,
  // which cost more than the whole parse for short inputs.
  allowedAttributes: false,
  // sanitize-html checks URL schemes too; safeUrl already enforced the same policy, so this is a
  // second, independent line of defence.
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: [...URL_ATTRIBUTES, 'action', 'formaction', 'data', 'xlink:href', 'background'],
  allowProtocolRelative: true,
  allowedClasses: {},
  disallowedTagsMode: 'discard',
  nonTextTags: DROPPED_WITH_CONTENT,
  selfClosing: VOID_TAGS,
  parseStyleAttributes: false,
  enforceHtmlBoundary: false,
  nestingLimit: NESTING_LIMIT,
};

/**
 * A tag transformer that keeps only the tag's allowlisted attributes, makes URL attributes safe
 * (resolving relative ones against `base`) and gives boolean attributes their own name as value.
 */
function keepAllowedAttributes(base: string | undefined): sanitize.Transformer {
  return (tagName, attribs) => {
    const allowed = ATTRIBUTES_BY_TAG.get(tagName) ?? NO_ATTRIBUTES;
    const kept: sanitize.Attributes = {};
    for (const name of Object.keys(attribs)) {
      if (!allowed.has(name)) continue;
      const value = attribs[name] ?? '';
      if (URL_ATTRIBUTES.includes(name)) {
        const safe = safeUrl(value, base);
        if (safe !== undefined) kept[name] = safe;
      } else if (name === 'srcset') {
        const safe = safeSrcset(value, base);
        if (safe !== undefined) kept[name] = safe;
      } else if (BOOLEAN_ATTRIBUTES.includes(name)) {
        kept[name] = name;
      } else if (value !== '' || name === 'alt') {
        kept[name] = value;
      }
    }
    return { tagName, attribs: kept };
  };
}

/** Text escaped the way sanitize-html escapes text nodes (&, < and >). */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Sanitised HTML: only allowlisted tags and attributes, no scripting (script/style/svg/math/... are
 * dropped with their content, on* and style attributes never pass), URL attributes limited to
 * http/https/mailto and relative URLs resolved against `base`, void elements self-closed, text and
 * attribute values re-escaped, and no character XML cannot carry.
 */
export function sanitizeHtml(html: string, base?: string): string {
  if (!html) return '';
  // No tag at all: the result is the decoded text re-escaped, which needs no HTML parse.
  if (!html.includes('<')) return stripNonXmlChars(escapeText(decodeHTML(html)));
  const out = sanitize(stripNonXmlChars(html), {
    ...BASE_OPTIONS,
    transformTags: { '*': keepAllowedAttributes(base) },
  });
  return stripNonXmlChars(out);
}
