import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeed, resolveEncodingLabel } from '../../shared/decode';

/** An RSS document around `body`, with an optional XML encoding declaration. */
function rss(body: string, declared?: string): string {
  const decl = declared === undefined ? '' : `<?xml version="1.0" encoding="${declared}"?>\n`;
  return `${decl}<rss version="2.0"><channel><title>${body}</title></channel></rss>`;
}

/** The bytes of `text` in `encoding`, via iconv-lite (independent of the decoder under test). */
function bytes(text: string, encoding: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, encoding));
}

const RUSSIAN = 'Новости дня: правительство объявило о новых мерах поддержки малого бизнеса';

describe('decodeFeed: declared single-byte encodings', () => {
  const cases: Array<[string, string, string]> = [
    ['windows-1251', 'windows-1251', RUSSIAN],
    ['windows-1256', 'windows-1256', 'أخبار اليوم من العالم العربي'],
    ['ISO-8859-1', 'windows-1252', 'Café crème à la française, naïveté'],
    ['ISO-8859-2', 'iso-8859-2', 'Zażółć gęślą jaźń, Příliš žluťoučký kůň'],
    ['ISO-8859-5', 'iso-8859-5', 'Съешь же ещё этих мягких французских булок'],
    ['ISO-8859-15', 'iso-8859-15', 'Prix: 20 € - œuvre, Šárka'],
    ['KOI8-R', 'koi8-r', RUSSIAN],
  ];
  for (const [label, canonical, text] of cases) {
    it(`decodes ${label} from the XML declaration`, () => {
      const d = decodeFeed(bytes(rss(text, label), canonical === 'windows-1252' ? 'latin1' : canonical));
      expect(d.text).toContain(`<title>${text}</title>`);
      expect(d).toMatchObject({ encoding: canonical, source: 'xml', mismatch: false });
      expect(d.text).not.toContain('\uFFFD');
    });
  }

  it('maps windows-1252 0x80–0x9F per WHATWG (€ and curly quotes), also when labelled ISO-8859-1', () => {
    const raw = [0x80, 0x20, 0x93, 0x71, 0x94];
    for (const label of ['windows-1252', 'ISO-8859-1', 'us-ascii']) {
      const [head, tail] = rss('#', label).split('#') as [string, string];
      const d = decodeFeed(Uint8Array.from([...Buffer.from(head), ...raw, ...Buffer.from(tail)]));
      expect(d.text).toContain('<title>€ “q”</title>');
      expect(d.encoding).toBe('windows-1252');
    }
  });

  it('keeps windows-1252 bytes that are unassigned in cp1252 as their C1 code points, not U+FFFD', () => {
    const d = decodeFeed(Uint8Array.from([0x81, 0x8d, 0x41]), 'text/xml; charset=windows-1252');
    expect(d.text).toBe('\u0081\u008dA');
  });
});

describe('decodeFeed: Unicode encodings', () => {
  const text = rss('Grüße 日本語 ✓', 'utf-16');
  it.each([
    ['utf-16le', [0xff, 0xfe], 'bom'],
    ['utf-16be', [0xfe, 0xff], 'bom'],
    ['utf-16le', [], 'sniff'],
    ['utf-16be', [], 'sniff'],
  ] as const)('decodes %s with BOM bytes %j (source %s)', (encoding, bom, source) => {
    const d = decodeFeed(Uint8Array.from([...bom, ...bytes(text, encoding)]));
    expect(d).toMatchObject({ text, encoding, source, mismatch: false });
  });

  it('decodes UTF-32 with and without a BOM', () => {
    const body = bytes(rss('Grüße'), 'utf-32be');
    expect(decodeFeed(Uint8Array.from([0, 0, 0xfe, 0xff, ...body])).text).toBe(rss('Grüße'));
    expect(decodeFeed(body)).toMatchObject({ text: rss('Grüße'), encoding: 'utf-32be', source: 'sniff' });
  });

  it('strips a UTF-8 BOM and lets it win over a contrary declaration, flagging the mismatch', () => {
    const d = decodeFeed(Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from(rss('naïve', 'iso-8859-1'))]));
    expect(d).toMatchObject({ text: rss('naïve', 'iso-8859-1'), encoding: 'utf-8', source: 'bom', declared: 'iso-8859-1', mismatch: true });
  });

  it('returns empty text for empty input', () => {
    expect(decodeFeed(new Uint8Array())).toMatchObject({ text: '', encoding: 'utf-8', mismatch: false });
  });
});

describe('decodeFeed: precedence and mismatches', () => {
  it('prefers the HTTP charset over the XML declaration', () => {
    const d = decodeFeed(bytes(rss(RUSSIAN, 'windows-1251'), 'koi8-r'), 'application/rss+xml; charset="KOI8-R"');
    expect(d).toMatchObject({ encoding: 'koi8-r', source: 'http', mismatch: false });
    expect(d.text).toContain(RUSSIAN);
  });

  it('uses valid UTF-8 over a single-byte declaration and flags it', () => {
    const d = decodeFeed(Buffer.from(rss('Café', 'ISO-8859-1')));
    expect(d).toMatchObject({ encoding: 'utf-8', declared: 'iso-8859-1', mismatch: true });
    expect(d.text).toContain('<title>Café</title>');
  });

  it('keeps a single-byte declaration for pure-ASCII bytes', () => {
    expect(decodeFeed(Buffer.from(rss('plain', 'iso-8859-1')))).toMatchObject({ encoding: 'windows-1252', mismatch: false });
  });

  it('recovers windows-1251 Russian mislabelled as UTF-8 by sniffing', () => {
    const d = decodeFeed(bytes(rss(RUSSIAN, 'utf-8'), 'windows-1251'), 'text/xml; charset=utf-8');
    expect(d).toMatchObject({ encoding: 'windows-1251', source: 'sniff', declared: 'utf-8', mismatch: true });
    expect(d.text).toContain(RUSSIAN);
  });

  it('recovers KOI8-R mislabelled as UTF-8 by letter frequencies', () => {
    const d = decodeFeed(bytes(rss(RUSSIAN, 'utf-8'), 'koi8-r'));
    expect(d).toMatchObject({ encoding: 'koi8-r', source: 'sniff', mismatch: true });
    expect(d.text).toContain(RUSSIAN);
  });

  it('falls back to the XML declaration when the HTTP UTF-8 charset is contradicted by the bytes', () => {
    const d = decodeFeed(bytes(rss(RUSSIAN, 'windows-1251'), 'windows-1251'), 'text/xml; charset=utf-8');
    expect(d).toMatchObject({ encoding: 'windows-1251', source: 'xml', declared: 'utf-8', mismatch: true });
  });

  it('sniffs Western European text with no declaration as windows-1252', () => {
    const d = decodeFeed(bytes(rss('Déjà vu, über — “quoted”'), 'windows-1252'));
    expect(d).toMatchObject({ encoding: 'windows-1252', source: 'sniff', mismatch: false });
    expect(d.text).toContain('Déjà vu, über — “quoted”');
  });

  it('treats an unknown label as absent, records it and falls through to UTF-8', () => {
    const d = decodeFeed(Buffer.from(rss('Café', 'x-no-such-charset')));
    expect(d).toMatchObject({ encoding: 'utf-8', source: 'default', declared: 'x-no-such-charset', mismatch: true });
    expect(d.text).toContain('Café');
  });

  it('ignores a UTF-16 declaration on ASCII-compatible bytes', () => {
    expect(decodeFeed(Buffer.from(rss('Café', 'UTF-16')))).toMatchObject({ encoding: 'utf-8', mismatch: true });
  });

  it('reads <meta charset> in HTML pages', () => {
    const html = '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html;charset=windows-1251"></head><body>Привет</body></html>';
    expect(decodeFeed(bytes(html, 'windows-1251'))).toMatchObject({ encoding: 'windows-1251', source: 'meta' });
    expect(decodeFeed(bytes(html, 'windows-1251')).text).toContain('Привет');
  });

  it('decodes legacy multi-byte encodings', () => {
    for (const [label, text] of [['Shift_JIS', '日本語のニュース'], ['EUC-KR', '한국어 뉴스'], ['gb2312', '中文新闻'], ['big5', '繁體中文']]) {
      const d = decodeFeed(bytes(rss(text!, label), label!));
      expect(d.text).toContain(text);
      expect(d.mismatch).toBe(false);
    }
  });
});

describe('resolveEncodingLabel', () => {
  it('maps WHATWG labels and common misspellings to canonical names', () => {
    expect(resolveEncodingLabel(' Latin1 ')).toBe('windows-1252');
    expect(resolveEncodingLabel('ascii')).toBe('windows-1252');
    expect(resolveEncodingLabel('cp1251')).toBe('windows-1251');
    expect(resolveEncodingLabel('koi8r')).toBe('koi8-r');
    expect(resolveEncodingLabel('win-1251')).toBe('windows-1251');
    expect(resolveEncodingLabel('cp437')).toBe('cp437');
    expect(resolveEncodingLabel('KOI8-R')).toBe('koi8-r');
    expect(resolveEncodingLabel('utf8')).toBe('utf-8');
    expect(resolveEncodingLabel('gb2312')).toBe('gbk');
    expect(resolveEncodingLabel('windows_1251')).toBe('windows-1251');
    expect(resolveEncodingLabel('x-mac-cyrillic')).toBe('x-mac-cyrillic');
    expect(resolveEncodingLabel('iso-2022-kr')).toBeUndefined();
    expect(resolveEncodingLabel('base64')).toBeUndefined();
  });
});

describe('Python codec labels', () => {
  it('reads cp_is as cp861 and maccentraleurope (and its aliases) as Mac Central European', () => {
    expect(resolveEncodingLabel('cp_is')).toBe('cp861');
    for (const label of ['maccentraleurope', 'mac_centeuro', 'mac_latin2', 'MacLatin2']) expect(resolveEncodingLabel(label)).toBe('maccenteuro');
    const declared = decodeFeed(new Uint8Array([...Buffer.from('<?xml version="1.0" encoding="cp_is"?><rss><channel><title>'), 0x80, ...Buffer.from('</title></channel></rss>')]));
    expect(declared.encoding).toBe('cp861');
    expect(declared.text).toContain('<title>\u00c7</title>');
    const mac = decodeFeed(new Uint8Array([...Buffer.from('<?xml version="1.0" encoding="maccentraleurope"?><feed><title>'), 0x80, 0x8a, ...Buffer.from('</title></feed>')]));
    expect(mac.text).toContain('<title>\u00c4\u00e4</title>');
    expect(mac.mismatch).toBeFalsy();
  });
});
