import { describe, expect, it } from 'vitest';
import { absoluteHttpUrl, canonicalUrl } from '../../shared/normalise/url';
import { TRACKING_PARAMS, isTrackingParam } from '../../shared/normalise/tracking-params';

describe('canonicalUrl', () => {
  it('removes tracking parameters in any case and position, keeping the others in order', () => {
    expect(canonicalUrl('https://example.com/a?utm_source=rss&id=7&UTM_Medium=feed&page=2&fbclid=abc'))
      .toBe('https://example.com/a?id=7&page=2');
    expect(canonicalUrl('https://example.com/a?gclid=1&dclid=2&gbraid=3&wbraid=4&msclkid=5&yclid=6'))
      .toBe('https://example.com/a');
    expect(canonicalUrl('https://example.com/a?mc_cid=1&mc_eid=2&_hsenc=3&_hsmi=4&mkt_tok=5&q=x'))
      .toBe('https://example.com/a?q=x');
    expect(canonicalUrl('https://example.com/a?igshid=1&ref_src=twsrc&__twitter_impression=true&_ga=2&_gl=3'))
      .toBe('https://example.com/a');
    expect(canonicalUrl('https://example.com/a?oly_anon_id=1&oly_enc_id=2&vero_id=3&s_cid=4&ncid=5&sr_share=6&spm=7'))
      .toBe('https://example.com/a');
  });

  it('recognises percent-encoded tracking names and drops an empty trailing ?', () => {
    expect(canonicalUrl('https://example.com/a?utm%5Fsource=x')).toBe('https://example.com/a');
    expect(canonicalUrl('https://example.com/a?')).toBe('https://example.com/a');
    expect(canonicalUrl('https://example.com/a?&&x=1&&')).toBe('https://example.com/a?x=1');
  });

  it('keeps parameters that merely contain a tracking name', () => {
    expect(canonicalUrl('https://example.com/a?xutm_source=1&ref=home&spmx=2'))
      .toBe('https://example.com/a?xutm_source=1&ref=home&spmx=2');
  });

  it('resolves relative URLs against the base', () => {
    expect(canonicalUrl('../b/c?x=1', 'https://example.com/a/feed.xml')).toBe('https://example.com/b/c?x=1');
    expect(canonicalUrl('/p/1', 'http://example.com/x/')).toBe('http://example.com/p/1');
    expect(canonicalUrl('//cdn.example.com/i', 'https://example.com/')).toBe('https://cdn.example.com/i');
    expect(canonicalUrl('relative/only')).toBeUndefined();
  });

  it('ignores an unusable base when the URL is absolute', () => {
    expect(canonicalUrl('https://example.com/a', 'not a url')).toBe('https://example.com/a');
  });

  it('accepts only http and https', () => {
    expect(canonicalUrl('javascript:alert(1)', 'https://example.com/')).toBeUndefined();
    expect(canonicalUrl(' JavaScript:alert(1)')).toBeUndefined();
    expect(canonicalUrl('data:text/html,hi')).toBeUndefined();
    expect(canonicalUrl('mailto:a@example.com')).toBeUndefined();
    expect(canonicalUrl('ftp://example.com/file')).toBeUndefined();
  });

  it('lower-cases scheme and host, converts IDN hosts to punycode, drops default ports and fragments', () => {
    expect(canonicalUrl('HTTPS://Example.COM:443/Path#section')).toBe('https://example.com/Path');
    expect(canonicalUrl('http://example.com:80/')).toBe('http://example.com/');
    expect(canonicalUrl('http://example.com:8080/a')).toBe('http://example.com:8080/a');
    expect(canonicalUrl('https://bücher.example/straße')).toBe('https://xn--bcher-kva.example/stra%C3%9Fe');
  });

  it('normalises percent-encoding: upper-case hex, unreserved characters decoded', () => {
    expect(canonicalUrl('https://example.com/%7euser/a%2fb%2Dc?q=%e2%82%ac&r=%41'))
      .toBe('https://example.com/~user/a%2Fb-c?q=%E2%82%AC&r=A');
  });

  it('never throws on garbage', () => {
    for (const junk of ['', '   ', 'http://', 'http://[::1', '%%%', 'https://exa mple.com', '\u0000', 'http:\\\\']) {
      expect(() => canonicalUrl(junk, 'https://example.com/')).not.toThrow();
    }
    expect(canonicalUrl(undefined)).toBeUndefined();
    expect(canonicalUrl('http://[::1')).toBeUndefined();
  });
});

describe('absoluteHttpUrl', () => {
  it('keeps query and fragment as given but rejects non-http(s)', () => {
    expect(absoluteHttpUrl('https://cdn.example.com/a.mp3?utm_source=x&sig=A%2fb'))
      .toBe('https://cdn.example.com/a.mp3?utm_source=x&sig=A%2fb');
    expect(absoluteHttpUrl('/a.mp3', 'https://example.com/feed')).toBe('https://example.com/a.mp3');
    expect(absoluteHttpUrl('file:///etc/passwd')).toBeUndefined();
  });
});

describe('TRACKING_PARAMS', () => {
  it('matches names case-insensitively and by prefix where marked', () => {
    expect(TRACKING_PARAMS).toContain('utm_*');
    expect(isTrackingParam('UTM_CAMPAIGN')).toBe(true);
    expect(isTrackingParam('utm_anything_new')).toBe(true);
    expect(isTrackingParam('FBCLID')).toBe(true);
    expect(isTrackingParam('id')).toBe(false);
    expect(isTrackingParam('utm')).toBe(false);
  });
});
