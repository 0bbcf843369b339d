import { describe, expect, it } from 'vitest';
import { normaliseLang } from '../../shared/normalise/lang';

describe('normaliseLang', () => {
  it('applies BCP 47 casing', () => {
    expect(normaliseLang('en-US')).toBe('en-US');
    expect(normaliseLang('EN-us')).toBe('en-US');
    expect(normaliseLang('DE')).toBe('de');
    expect(normaliseLang('ru')).toBe('ru');
    expect(normaliseLang('ar')).toBe('ar');
    expect(normaliseLang('zh-hant-tw')).toBe('zh-Hant-TW');
    expect(normaliseLang('sr-latn-rs')).toBe('sr-Latn-RS');
    expect(normaliseLang('es-419')).toBe('es-419');
    expect(normaliseLang('de-de-1901')).toBe('de-DE-1901');
  });

  it('maps the spellings feeds use instead of tags', () => {
    expect(normaliseLang('English')).toBe('en');
    expect(normaliseLang('Deutsch')).toBe('de');
    expect(normaliseLang('en_us')).toBe('en-US');
    expect(normaliseLang('fr_FR.UTF-8')).toBe('fr-FR');
    expect(normaliseLang(' en-GB,en;q=0.9 ')).toBe('en-GB');
    expect(normaliseLang('eng')).toBe('en');
    expect(normaliseLang('iw')).toBe('he');
  });

  it('keeps the well-formed prefix of a tag with junk after it', () => {
    expect(normaliseLang('en-US-!!')).toBe('en-US');
    expect(normaliseLang('en-')).toBe('en');
  });

  it('gives undefined when nothing plausible is there', () => {
    for (const junk of [undefined, '', '  ', 'xx', 'und', 'C', 'hello world', '123', 'x-klingon', '*']) {
      expect(normaliseLang(junk)).toBeUndefined();
    }
  });
});
