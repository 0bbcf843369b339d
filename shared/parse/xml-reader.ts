/**
 * The tolerant XML reader: sax with namespace resolution, turned into an XmlNode tree with xml:base and
 * xml:lang scoped per element. Errors never stop it: each is recorded (bozo) and parsing resumes, like
 * feedparser's loose handling, so an ill-formed feed yields whatever can be recovered.
 */
import sax from 'sax';
import { entityTable, installDtdEntities } from './entities';
import { escapeStrayAmpersands, escapeStrayLessThan } from './repair';
import { absoluteUrl } from './urls';
import { elementNode } from './xml-element';
import { readWellFormedXml } from './xml-fast';
import type { XmlNode } from './xml-node';

export { languageTag } from './xml-element';

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
  return read(text, options, true);
}

/** readXml with every document read by sax, well-formed ones included: the reference the fast path matches. */
export function readXmlWithSax(text: string, options: ReadXmlOptions): XmlDocument {
  return read(text, options, false);
}

function read(text: string, options: ReadXmlOptions, fastPath: boolean): XmlDocument {
  const doc: XmlDocument = { bozo: false, errorCount: 0 };
  const documentBase = options.url !== undefined ? absoluteUrl(options.url) : undefined;
  const fail = (reason: string): void => {
    doc.errorCount++;
    if (!doc.bozo) {
      doc.bozo = true;
      doc.bozoReason = reason;
    }
  };

  let source = text;
  if (options.maxElements === undefined) {
    const lt = escapeStrayLessThan(source);
    if (lt.repaired) fail('unescaped "<" in text');
    const amp = escapeStrayAmpersands(lt.text);
    if (amp.repaired) fail('unescaped "&" in text');
    source = amp.text;
    if (options.strict && fastPath) {
      // Most feeds are well-formed: those are read without sax, which would give the same tree more slowly.
      const wellFormed = readWellFormedXml(source, documentBase);
      if (wellFormed) {
        if (wellFormed.doctype !== undefined) doc.doctype = wellFormed.doctype;
        doc.root = wellFormed.root;
        return doc;
      }
    }
  }
  readWithSax(source, options, doc, documentBase, fail);
  return doc;
}

/** Reads `source` with sax into `doc`, recording each error through `fail` and resuming after it. */
function readWithSax(
  source: string, options: ReadXmlOptions, doc: XmlDocument, documentBase: string | undefined, fail: (reason: string) => void,
): void {
  const parser = sax.parser(options.strict, {
    xmlns: true,
    lowercase: true,
    noscript: true,
    position: false,
  } as sax.SAXOptions);
  parser.ENTITIES = entityTable(parser.ENTITIES);
  const stack: XmlNode[] = [];
  let opened = 0;
  const maxElements = options.maxElements ?? Infinity;

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
    const node = elementNode(t, Object.values(t.attributes), parent, documentBase);
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
  // sax reports each error as an Error, of which only the message is read: capturing stacks would be wasted work.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    parser.write(source);
    parser.close();
  } catch (err) {
    if (err !== STOP) fail(err instanceof Error ? err.message.split('\n', 1)[0] ?? 'XML error' : 'XML error');
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
