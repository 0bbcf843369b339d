import { describe, expect, it } from 'vitest';
import { lookupIn, whatwgEncoding, type TributaryOutput } from '../../conformance/feedparser/field-map';
import { checkDate, toSecond } from '../../conformance/suites/dates';
import type { ItemDraft, ParsedFeed } from '../../shared/model';

const parsed: ParsedFeed = {
  format: 'rss091', title: { value: 'Feed <b>T</b>', type: 'html' }, links: [], authors: [{ name: 'Ed', email: 'ed@e.org' }],
  entries: [{
    id: 'http://e.org/1', guidIsPermaLink: true, link: 'http://e.org/1', links: [], authors: [], categories: [{ term: 'c', scheme: 's' }],
    enclosures: [], title: { value: 'Hi', type: 'text' }, summary: { value: '<p>S</p>', type: 'html', lang: 'en', base: 'http://e.org/' },
  }],
  bozo: false,
};
const draft: ItemDraft = {
  sourceId: 's', guid: 'http://e.org/1', url: 'http://e.org/1', title: 'Hi', summaryHtml: '<p>S</p>', summaryText: 'S',
  authors: [{ name: 'Ed', email: 'ed@e.org' }], categories: ['c'], enclosures: [{ url: 'http://e.org/a.mp3', length: 5, type: 'audio/mpeg' }],
  published: '2004-01-01T00:00:00.000Z', contentHash: 'h',
};
const out: TributaryOutput = {
  decoded: { text: '', encoding: 'windows-1252', source: 'xml', mismatch: false }, parsed, drafts: [draft], http: { etag: 'e' },
};
const lookup = lookupIn(out);

describe('feedparser → Tributary row mapping', () => {
  it('maps result-level fields to DecodedText, ParsedFeed and the fetch result', () => {
    expect(lookup(['bozo'])).toEqual({ kind: 'value', value: false });
    const enc = lookup(['encoding']);
    expect(enc.kind === 'value' && enc.equals?.('iso-8859-1')).toBe(true);
    const version = lookup(['version']);
    expect(version.kind === 'value' && version.equals?.('rss091u')).toBe(true);
    expect(lookup(['etag'])).toEqual({ kind: 'value', value: 'e' });
    expect(lookup([])).toMatchObject({ kind: 'value', value: { etag: 'e' } });
  });

  it('maps entry fields to the ItemDraft and details to the ParsedEntry', () => {
    expect(lookup(['entries', 0, 'id'])).toEqual({ kind: 'value', value: 'http://e.org/1' });
    expect(lookup(['entries', 0, 'tags', 0, 'term'])).toEqual({ kind: 'value', value: 'c' });
    expect(lookup(['entries', 0, 'tags', 0, 'scheme'])).toEqual({ kind: 'value', value: 's' });
    const labelled = { ...parsed, entries: [{ ...parsed.entries[0]!, categories: [{ term: 't', label: 'Label' }] }] };
    const tags = lookupIn({ ...out, parsed: labelled, drafts: [{ ...draft, categories: ['Label'] }] });
    expect(tags(['entries', 0, 'tags', 0, 'term'])).toEqual({ kind: 'value', value: 't' });
    expect(lookup(['entries', 0, 'enclosures', 0, 'length'])).toEqual({ kind: 'value', value: 5 });
    expect(lookup(['entries', 0, 'summary_detail', 'type'])).toEqual({ kind: 'value', value: 'text/html' });
    expect(lookup(['entries', 0, 'summary_detail', 'base'])).toEqual({ kind: 'value', value: 'http://e.org/' });
    expect(lookup(['entries', 0, 'summary'])).toMatchObject({ kind: 'text', text: { html: '<p>S</p>', text: 'S' } });
    expect(lookup(['entries', 0, 'guidislink'])).toEqual({ kind: 'value', value: true });
    expect(lookup(['entries', 0, 'published_parsed'])).toEqual({ kind: 'value', value: '2004-01-01T00:00:00.000Z' });
    expect(lookup(['entries', -1, 'title'])).toMatchObject({ kind: 'text', text: { text: 'Hi' } });
    expect(lookup(['feed', 'author'])).toEqual({ kind: 'value', value: 'Ed (ed@e.org)' });
  });

  it('names the reason for fields Tributary does not keep, and reports unmapped ones as absent', () => {
    expect(lookup(['entries', 0, 'itunes_block']).kind).toBe('skip');
    expect(lookup(['feed', 'contributors', 0, 'name']).kind).toBe('skip');
    expect(lookup(['entries', 0, 'no_such_field'])).toMatchObject({ kind: 'absent' });
  });

  it('compares encodings by WHATWG name', () => {
    expect(whatwgEncoding('us-ascii')).toBe('windows-1252');
    expect(whatwgEncoding('GB2312')).toBe('gb18030');
    expect(whatwgEncoding('utf-32be')).toBe('utf-32be');
  });
});

describe('date vectors', () => {
  it('compares at second precision and requires rejection for null', () => {
    expect(toSecond('2004-07-11T17:00:00.123Z')).toBe('2004-07-11T17:00:00Z');
    expect(checkDate({ input: 'Sun, 11 Jul 2004 12:00:00 EST', expected_utc: '2004-07-11T17:00:00Z' })).toBeUndefined();
    expect(checkDate({ input: 'not a date', expected_utc: null })).toBeUndefined();
    expect(checkDate({ input: 'Sun, 11 Jul 2004 12:00:00 EST', expected_utc: null })?.cause).toBe('accepted a non-date');
  });

  it("tests feedparser's w3dtf rows against the W3C-DTF reader and the others against parseDate", () => {
    expect(checkDate({ input: '22013', expected_utc: null, parser: 'w3dtf' })).toBeUndefined();
    expect(checkDate({ input: '2003-12-31T10:14:55Z', expected_utc: '2003-12-31T10:14:55Z', parser: 'w3dtf' })).toBeUndefined();
    expect(checkDate({ input: '03335', expected_utc: '2003-12-01T00:00:00Z', parser: 'iso8601' })).toBeUndefined();
    expect(checkDate({ input: '22013', expected_utc: null, parser: 'iso8601' })?.cause).toBe('accepted a non-date');
  });
});
