/**
 * The tolerant XML reader: sax with namespace resolution, turned into an XmlNode tree with xml:base and
 * xml:lang scoped per element. Errors never stop it: each is recorded (bozo) and parsing resumes, like
 * feedparser's loose handling, so an ill-formed feed yields whatever can be recovered.
 */
import sax from 'sax';
import { entityTable, installDtdEntities } from './entities';
import { canonicalUri, XML } from './names';
import { escapeStrayAmpersands, escapeStrayLessThan } from './repair';
import { absoluteUrl } from './urls';
import type { XmlAttr, XmlNode } from './xml-node';

/** The outcome of reading a document: its root element (if any) and whether it was well-formed. */
export interface XmlDocument {
  root?: XmlNode;
  /** The DOCTYPE text, when the document had one. */
  doctype?: string;
  bozo: boolean;
  bozoReason?: string;
  /** How many errors sax reported. */
  errorCount: number;
}

/** Options for {@link readXml}. */
export interface ReadXmlOptions {
  /** Strict XML (errors recorded and skipped) or sax's loose HTML-ish mode. */
  strict: boolean;
  /** The document URL: the outermost xml:base. */
  url?: string;
  /** Stop after this many elements have been opened (used for sniffing the root). */
  maxElements?: number;
}

/** Errors after which the reader gives up on the rest of the document (garbage input). */
const MAX_ERRORS = 1_000;
const STOP = Symbol('stop reading');

/** Reads `text` into an element tree, recovering from errors. Never throws for bad input. */
export function readXml(text: string, options: ReadXmlOptions): XmlDocument {
  const parser = sax.parser(options.strict, {
    xmlns: true,
    lowercase: true,
    noscript: true,
    position: false,
  } as sax.SAXOptions);
  parser.ENTITIES = entityTable(parser.ENTITIES);
  const doc: XmlDocument = { bozo: false, errorCount: 0 };
  const stack: XmlNode[] = [];
  let opened = 0;
  const maxElements = options.maxElements ?? Infinity;
  const documentBase = options.url !== undefined ? absoluteUrl(options.url) : undefined;

  const fail = (reason: string): void => {
    doc.errorCount++;
    if (!doc.bozo) {
      doc.bozo = true;
      doc.bozoReason = reason;
    }
  };

  parser.onerror = (err: Error) => {
    fail(err.message.split('\n', 1)[0] ?? 'XML error');
    (parser as { error: Error | null }).error = null;
    if (doc.errorCount >= MAX_ERRORS) throw STOP;
  };
  parser.ondoctype = (doctype: string) => {
    doc.doctype = doctype;
    const outcome = installDtdEntities(doctype, parser.ENTITIES);
    if (outcome.refused.length > 0) fail(`entity expansion refused for &${outcome.refused[0]}; (too large or recursive)`);
  };
  parser.onopentag = (tag) => {
    const t = tag as sax.QualifiedTag;
    const parent = stack[stack.length - 1];
    const node = makeNode(t, parent, documentBase);
    if (parent) parent.children.push(node);
    else if (!doc.root) doc.root = node;
    else return; // a second root: ignored (sax already reported it)
    stack.push(node);
    if (++opened >= maxElements) throw STOP;
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  parser.ontext = (t: string) => {
    const top = stack[stack.length - 1];
    if (top) top.children.push(t);
  };
  parser.oncdata = parser.ontext;

  let source = text;
  if (options.maxElements === undefined) {
    const lt = escapeStrayLessThan(source);
    if (lt.repaired) fail('unescaped "<" in text');
    const amp = escapeStrayAmpersands(lt.text);
    if (amp.repaired) fail('unescaped "&" in text');
    source = amp.text;
  }
  try {
    parser.write(source);
    parser.close();
  } catch (err) {
    if (err !== STOP) fail(err instanceof Error ? err.message.split('\n', 1)[0] ?? 'XML error' : 'XML error');
  }
  return doc;
}

/**
 * An xml:lang value as a language tag: trimmed, POSIX `en_US` respelt as BCP 47 `en-US`. An empty value
 * stays '' (XML 1.0 §2.12: no language information), so that it overrides an inherited language.
 */
export function languageTag(value: string): string {
  return value.trim().replace(/_/g, '-');
}

function makeNode(tag: sax.QualifiedTag, parent: XmlNode | undefined, documentBase: string | undefined): XmlNode {
  const attrs: XmlAttr[] = [];
  let base = parent ? parent.base : documentBase;
  let lang = parent?.lang;
  for (const key in tag.attributes) {
    const a = tag.attributes[key];
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
