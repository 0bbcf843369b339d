import { describe, expect, it } from 'vitest';
import { readWellFormedXml } from '../../shared/parse/xml-fast';
import { readXml, readXmlWithSax } from '../../shared/parse/xml-reader';
import { fixture } from './load';

const URL = 'https://example.com/a/feed.xml';

/** Well-formed documents the fast reader must read itself, exactly as sax does. */
const WELL_FORMED: Record<string, string> = {
  namespaces: '<?xml version="1.0"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:c="http://purl.org/rss/1.0/modules/content/"><channel><item><dc:creator>Ann</dc:creator><c:encoded><![CDATA[<p>Hi</p>]]></c:encoded></item></channel></rss>',
  defaultNamespace: '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr_CA" xml:base="https://b.example.com/x/"><entry xml:base="../y/"><link href="z"/><title type="html">a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;</title></entry></feed>',
  entities: '<rss><channel><title>&nbsp;&eacute;&hellip;&#233;&#xE9;&#X41;&#0065;&AMP;&NotEqualTilde;</title><link a="x&amp;y&#38;z" b=\'1 &lt; 2\'>l</link></channel></rss>',
  textEvents: '<r>a<!---->b<!-- c -->d<?pi x?>e<![CDATA[]]>f<![CDATA[g]]>h<x/>i</r>',
  whitespace: '\uFEFF  \n<?xml version="1.0"?>\n<!-- lead -->\n<r\n  a = "1"\t/>\n\n',
  doctype: '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel><title>T</title></channel></rss>',
  doctypeQuotedGreaterThan: '<!DOCTYPE r SYSTEM "a>b"><r/>',
  piEnd: '<r><?pi a ?x?>x</r>',
  rebinding: '<a:r xmlns:a="u1"><a:s xmlns:a="u2" a:k="v"/><a:t xmlns:a="a"/></a:r>',
  unprefixedXmlns: '<r xmlns=""><s xmlns="http://purl.org/rss/1.0/"/></r>',
};

/** Documents sax reports errors in (or the fast reader leaves to sax): read by sax, with the same outcome. */
const LEFT_TO_SAX: Record<string, string> = {
  internalSubset: '<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>',
  lowerCaseDoctype: '<!doctype r><r/>',
  unknownEntity: '<r>&bogus;</r>',
  badCharRef: '<r>&#0;&#xD800;</r>',
  unclosed: '<rss><channel><item>',
  mismatched: '<r><a></b></r>',
  unboundPrefix: '<rss><channel><item><dc:creator>x</dc:creator></item></channel></rss>',
  textOutsideRoot: 'x<r/>',
  secondRoot: '<r/><s/>',
  duplicateAttribute: '<r a="1" a="2"/>',
  unquotedAttribute: '<r a=1/>',
  noSpaceBetweenAttributes: '<r a="1"b="2"/>',
  piQuestionMarks: '<r><?pi ??>x?></r>',
  piOddQuestionMarks: '<r><?pi a ???>x</r>',
  badComment: '<r><!-- a -- b --></r>',
  nonAsciiName: '<r><ä>x</ä></r>',
  twoColons: '<r><a:b:c xmlns:a="u"/></r>',
  xmlPrefixRebound: '<r xmlns:xml="http://example.com/"/>',
  protoPrefix: '<r xmlns:constructor="u"><constructor:a/><toString:b/></r>',
  cdataOutsideRoot: '<![CDATA[x]]><r/>',
  lowerCaseCdata: '<r><![cdata[x]]></r>',
  strayLessThan: '<r>a < b</r>',
  strayAmpersand: '<r>a & b</r>',
  lessThanInAttribute: '<r a="x < y"/>',
};

describe('readWellFormedXml', () => {
  for (const [name, text] of Object.entries(WELL_FORMED)) {
    it(`reads ${name} itself, as sax does`, () => {
      expect(readWellFormedXml(text, URL)).toBeDefined();
      expect(readXml(text, { strict: true, url: URL })).toEqual(readXmlWithSax(text, { strict: true, url: URL }));
    });
  }

  for (const [name, text] of Object.entries(LEFT_TO_SAX)) {
    it(`gives ${name} to sax, with the same outcome`, () => {
      expect(readXml(text, { strict: true, url: URL })).toEqual(readXmlWithSax(text, { strict: true, url: URL }));
    });
  }

  it('gives up where sax reports an error', () => {
    for (const name of ['unknownEntity', 'badCharRef', 'unclosed', 'mismatched', 'unboundPrefix', 'textOutsideRoot', 'badComment']) {
      expect(readWellFormedXml(LEFT_TO_SAX[name]!, URL), name).toBeUndefined();
    }
  });

  it('keeps text split where sax splits it (non-empty comments, CDATA and PIs end a text node)', () => {
    const root = readXml(WELL_FORMED.textEvents!, { strict: true }).root!;
    expect(root.children.filter((c) => typeof c === 'string')).toEqual(['ab', 'd', 'e', 'f', 'g', 'h', 'i']);
  });

  it('reads the parser fixtures as sax does', () => {
    for (const name of ['atom03.xml', 'atom10.xml', 'rss10.rdf', 'rss20.xml', 'ill-formed.xml', 'billion-laughs.xml']) {
      const text = fixture(name);
      expect(readXml(text, { strict: true, url: URL }), name).toEqual(readXmlWithSax(text, { strict: true, url: URL }));
    }
  });
});
