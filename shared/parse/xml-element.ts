/** Building an XmlNode from a namespace-resolved start tag, with xml:base and xml:lang scoped from its parent. */
import { canonicalUri, XML } from './names';
import { absoluteUrl } from './urls';
import type { XmlAttr, XmlNode } from './xml-node';

/** An attribute as sax's xmlns mode reports it: name as written, prefix, local part and resolved URI. */
export interface ResolvedAttribute {
  name: string;
  value: string;
  prefix: string;
  local: string;
  uri: string;
}

/** A start tag as sax's xmlns mode reports it. */
export interface ResolvedTag {
  name: string;
  prefix: string;
  local: string;
  uri: string;
}

/**
 * An xml:lang value as a language tag: trimmed, POSIX `en_US` respelt as BCP 47 `en-US`. An empty value
 * stays '' (XML 1.0 §2.12: no language information), so that it overrides an inherited language.
 */
export function languageTag(value: string): string {
  return value.trim().replace(/_/g, '-');
}

/** The element for `tag` (attributes in document order), namespace declarations dropped, under `parent`. */
export function elementNode(
  tag: ResolvedTag, attributes: Iterable<ResolvedAttribute | undefined>, parent: XmlNode | undefined, documentBase: string | undefined,
): XmlNode {
  const attrs: XmlAttr[] = [];
  let base = parent ? parent.base : documentBase;
  let lang = parent?.lang;
  for (const a of attributes) {
    if (!a || a.prefix === 'xmlns' || (a.prefix === '' && a.local === 'xmlns') || a.name === 'xmlns') continue;
    const uri = a.prefix === '' ? '' : canonicalUri(a.uri, a.prefix, a.uri !== a.prefix);
    if (uri === XML) {
      if (a.local === 'base') {
        base = absoluteUrl(a.value, base) ?? base;
      } else if (a.local === 'lang') {
        lang = languageTag(a.value);
      }
    }
    attrs.push({ uri, local: a.local.toLowerCase(), name: a.local, value: a.value });
  }
  const bound = tag.prefix === '' || tag.uri !== tag.prefix;
  const node: XmlNode = {
    uri: canonicalUri(tag.uri, tag.prefix, bound),
    local: tag.local.toLowerCase(),
    name: tag.local,
    qname: tag.name,
    attrs,
    children: [],
  };
  if (base !== undefined) node.base = base;
  if (lang !== undefined) node.lang = lang;
  return node;
}
