/** A strict, namespace-aware XML parse into a small tree, for checking generated feeds. */
import sax from 'sax';

/** An element: namespace URI, local name, attributes by qualified name, children and text. */
export interface XmlNode {
  uri: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** Parses a document with sax in strict mode; throws on the first well-formedness error. */
export function parseXml(doc: string): XmlNode {
  const parser = sax.parser(true, { xmlns: true });
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  parser.onerror = (err) => {
    throw err;
  };
  parser.onopentag = (tag) => {
    const qualified = tag as sax.QualifiedTag;
    const attrs: Record<string, string> = {};
    for (const [name, attr] of Object.entries(qualified.attributes)) attrs[name] = attr.value;
    const node: XmlNode = { uri: qualified.uri, local: qualified.local, attrs, children: [], text: '' };
    stack.at(-1)?.children.push(node);
    root ??= node;
    stack.push(node);
  };
  parser.ontext = (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  };
  parser.oncdata = (text) => {
    const top = stack.at(-1);
    if (top) top.text += text;
  };
  parser.onclosetag = () => {
    stack.pop();
  };
  parser.write(doc).close();
  if (root === undefined) throw new Error('no root element');
  return root;
}

/** Children with the given namespace and local name. */
export function all(node: XmlNode, uri: string, local: string): XmlNode[] {
  return node.children.filter((c) => c.uri === uri && c.local === local);
}

/** The single child with the given namespace and local name; throws when there is not exactly one. */
export function one(node: XmlNode, uri: string, local: string): XmlNode {
  const found = all(node, uri, local);
  if (found.length !== 1) throw new Error(`expected one {${uri}}${local} in <${node.local}>, found ${found.length}`);
  return found[0] as XmlNode;
}

/** The text of the single matching child, or undefined when there is none. */
export function textOf(node: XmlNode, uri: string, local: string): string | undefined {
  const found = all(node, uri, local);
  if (found.length > 1) throw new Error(`more than one {${uri}}${local} in <${node.local}>`);
  return found[0]?.text;
}

/** Characters XML 1.0 does not allow, for asserting that none reached the output. */
export const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;
