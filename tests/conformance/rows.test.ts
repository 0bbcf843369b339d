import { describe, expect, it } from 'vitest';
import { evaluateRow, looseEqual, pathFamily, type ExpectationRow, type Lookup, type Resolved } from '../../conformance/feedparser/rows';
import { isSanitizingRow, rowSkipReason, SKIP_CODEC_WITHOUT_DECODER, SKIP_NEEDS_CHARDET, SKIP_PYTHON_ONLY_CODEC } from '../../conformance/feedparser/skips';

/** A hand-made row asserting `op value` on `parts`. */
function row(parts: (string | number)[], op: string, value: unknown, extra: Partial<ExpectationRow> = {}): ExpectationRow {
  return {
    file: 'tests/wellformed/rss/x.xml', folder: 'tests/wellformed/rss', description: 'd', expect: 'e', input: 'text',
    bozo_rule: '', path: parts.join('.'), canonical_path: parts.join('.'), canonical_candidates: [parts], path_parts: parts,
    op, value, ...extra,
  };
}

/** A lookup over a plain object, with a text construct at feed.title. */
function lookupOf(data: Record<string, unknown>, texts: Record<string, Resolved> = {}): Lookup {
  return (parts) => {
    const key = parts.join('.');
    if (texts[key]) return texts[key];
    let cur: unknown = data;
    for (const p of parts) {
      if (cur === null || typeof cur !== 'object' || !(p in (cur as object))) return { kind: 'absent' };
      cur = (cur as Record<string | number, unknown>)[p];
    }
    return { kind: 'value', value: cur };
  };
}

const data = {
  bozo: false,
  etag: 'foo',
  entries: [{ id: 'g1', tags: ['a'], updated_parsed: '2003-12-31T10:14:55.000Z', links: [{ href: 'h' }], empty: '', where: [[1, 2], [3, 4], [1, 2]] }],
  feed: { ttl: 60, links: [] as unknown[] },
};
const lookup = lookupOf(data, {
  'feed.title': { kind: 'text', text: { html: 'Example <b>Atom</b>', text: 'Example Atom', type: 'html' } },
  'feed.subtitle': { kind: 'text', text: { html: '&lt;b&gt;', text: '<b>', type: 'text' } },
  'feed.rights': { kind: 'text', text: { html: '<b>&amp;</b>', text: '&', type: 'xhtml' } },
  'entries.0.summary': { kind: 'text', text: { html: 'safe <b>description</b>', text: 'safe description', type: 'html', raw: 'safe<script>x()</script> <b>description</b>' } },
  'feed.icon': { kind: 'skip', reason: 'not kept' },
});
const verdict = (r: ExpectationRow, sanitizing = false) => evaluateRow(r, lookup, sanitizing).verdict;

describe('evaluateRow ops', () => {
  it('eq / ne on plain values, numbers against strings, absent against null', () => {
    expect(verdict(row(['bozo'], 'eq', false))).toBe('pass');
    expect(verdict(row(['bozo'], 'eq', true))).toBe('fail');
    expect(verdict(row(['feed', 'ttl'], 'eq', '60'))).toBe('pass');
    expect(verdict(row(['entries', 0, 'id'], 'ne', null))).toBe('pass');
    expect(verdict(row(['entries', 0, 'nothing'], 'eq', null))).toBe('pass');
    expect(verdict(row(['entries', 0, 'nothing'], 'eq', 'x'))).toBe('fail');
    expect(verdict(row(['entries', 0, 'links', 0], 'eq', { href: 'h' }))).toBe('pass');
  });

  it('eq on text constructs goes through the canonicaliser', () => {
    expect(verdict(row(['feed', 'title'], 'eq', 'Example <b >Atom</b>'))).toBe('pass');
    expect(verdict(row(['feed', 'title'], 'eq', 'Example <i>Atom</i>'))).toBe('fail');
    expect(verdict(row(['feed', 'subtitle'], 'eq', '<b>'))).toBe('pass');
    expect(verdict(row(['feed', 'rights'], 'eq', '<div><b>&#38;</b></div>'))).toBe('pass');
  });

  it('sanitising rows are judged by what is absent and what remains', () => {
    expect(verdict(row(['entries', 0, 'summary'], 'eq', 'safe <b>description</b> x()'), true)).toBe('pass');
    const unsafe = lookupOf({}, { s: { kind: 'text', text: { html: '<img src="i" onerror="x">', text: '', type: 'html' } } });
    expect(evaluateRow(row(['s'], 'eq', '<img src="i" />'), unsafe, true)).toMatchObject({ verdict: 'fail', cause: 'unsafe markup kept' });
    const lost = lookupOf({}, { s: { kind: 'text', text: { html: 'safe', text: 'safe', type: 'html', raw: 'safe <b>description</b>' } } });
    expect(evaluateRow(row(['s'], 'eq', 'safe <b>description</b>'), lost, true)).toMatchObject({ verdict: 'fail', cause: 'harmless text lost' });
  });

  it('eq_time compares at second precision', () => {
    expect(verdict(row(['entries', 0, 'updated_parsed'], 'eq_time', '2003-12-31T10:14:55Z'))).toBe('pass');
    expect(verdict(row(['entries', 0, 'updated_parsed'], 'eq_time', '2003-12-31T10:14:56Z'))).toBe('fail');
    expect(verdict(row(['entries', 0, 'missing'], 'eq_time', '2003-12-31T10:14:55Z'))).toBe('fail');
  });

  it('len_eq, is_null, has_key, lacks_key, truthy, falsy, eq_path, exception_type, eq_timedelta', () => {
    expect(verdict(row(['entries'], 'len_eq', 1))).toBe('pass');
    expect(verdict(row(['feed', 'links'], 'len_eq', 1))).toBe('fail');
    expect(verdict(row(['entries', 0, 'nope'], 'is_null', null))).toBe('pass');
    expect(verdict(row(['entries', 0, 'id'], 'is_null', null))).toBe('fail');
    expect(verdict(row([], 'has_key', 'etag'))).toBe('pass');
    expect(verdict(row([], 'lacks_key', 'modified'))).toBe('pass');
    expect(verdict(row([], 'lacks_key', 'etag'))).toBe('fail');
    expect(verdict(row(['etag'], 'truthy', null))).toBe('pass');
    expect(verdict(row(['entries', 0, 'empty'], 'falsy', null))).toBe('pass');
    expect(verdict(row(['entries', 0, 'id'], 'falsy', null))).toBe('fail');
    expect(verdict(row(['entries', 0, 'where', 0], 'eq_path', ['entries', 0, 'where', 2]))).toBe('pass');
    expect(verdict(row(['entries', 0, 'where', 0], 'eq_path', ['entries', 0, 'where', 1]))).toBe('fail');
    expect(verdict(row(['bozo_exception'], 'exception_type', 'CharacterEncodingOverride'))).toBe('fail');
    expect(verdict(row(['feed', 'ttl'], 'eq_timedelta', 60))).toBe('pass');
    expect(verdict(row(['bozo'], 'no_such_op', 1))).toBe('fail');
  });

  it('a skipped field skips the row with its reason', () => {
    expect(evaluateRow(row(['feed', 'icon'], 'eq', 'x'), lookup)).toEqual({ verdict: 'skip', reason: 'not kept' });
  });
});

describe('row helpers', () => {
  it('groups paths by family and compares loosely', () => {
    expect(pathFamily(['entries', 0, 'content', 0, 'value'])).toBe('entries[].content[].value');
    expect(pathFamily([])).toBe('<result>');
    expect(looseEqual(undefined, '')).toBe(true);
    expect(looseEqual(42301, '42301')).toBe(true);
    expect(looseEqual({ a: 1, b: 2 }, { a: 1 })).toBe(true);
    expect(looseEqual([1], [1, 2])).toBe(false);
  });

  it('skips rows upstream skips too, and codecs Node cannot decode, but keeps decodable ones', () => {
    expect(rowSkipReason(row(['bozo'], 'eq', false, { python3_codec_available: false }))).toBe(SKIP_PYTHON_ONLY_CODEC);
    expect(rowSkipReason(row(['bozo'], 'eq', false, { requires: 'chardet (statistical)' }))).toBe(SKIP_NEEDS_CHARDET);
    expect(rowSkipReason(row(['bozo'], 'eq', false, { requires_codec: 'cp037' }))).toBe(SKIP_CODEC_WITHOUT_DECODER);
    expect(rowSkipReason(row(['bozo'], 'eq', false, { requires_codec: 'cp1251' }))).toBeUndefined();
    expect(rowSkipReason(row(['bozo'], 'eq', false, { requires_codec: 'cp_is' }))).toBeUndefined();
    expect(isSanitizingRow(row(['x'], 'eq', '', { folder: 'tests/wellformed/sanitize' }))).toBe(true);
    expect(isSanitizingRow(row(['x'], 'eq', ''))).toBe(false);
  });
});
