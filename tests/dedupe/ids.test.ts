/** Item ids derived from identity keys: stored rows are keyed by them, so they must never change. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base32, idForKey } from '../../shared/ids';

describe('idForKey', () => {
  it('gives the ids stored rows were keyed by (known values)', () => {
    expect(idForKey('u:https://example.com/a')).toBe('54q7mfmxs5zxsjrv663zijbpnf');
    expect(idForKey('g:src:guid-1')).toBe('ihtwhpljm32u3usaniguak32bu');
    expect(idForKey('u:https://пример.рф/новости?id=1')).toBe('rghslujb5xppqop45oxuheco6z');
  });

  it('is the first 26 base32 characters of the key’s sha256, also when asked again after many other keys', () => {
    const keys = Array.from({ length: 45_000 }, (_, i) => `u:https://news${i % 97}.example/2026/11/${i}`);
    const full = (key: string) => base32(createHash('sha256').update(key).digest()).slice(0, 26);
    for (const key of keys) expect(idForKey(key)).toBe(full(key));
    for (const key of keys.slice(0, 500)) expect(idForKey(key)).toBe(full(key));
  });
});
