import { describe, expect, it } from 'vitest';
import { minhashOf, shingles, storyTokens, unifyCharacters } from '../../shared/cluster';
import { fnv1a, minhashOfHashes, minhashOfHashesScalar, shingleHashes } from '../../shared/cluster/minhash';
import { wordTokens } from '../../shared/cluster/tokenise';

/** The regex definition `wordTokens` replaces. */
const regexTokens = (s: string) => s.replace(/(\p{L})'(\p{L})/gu, '$1$2').match(/[\p{L}\p{N}]+/gu) ?? [];

const TRICKY = [
  '', "a'b'c'd", "rock'n'roll", "l'été d'or", "5'10 x' 'y '' a''b", 'Straße größe ÄÖÜ', 'Москва, ЁЛКА', 'القاهرة ٣٤٥',
  '東京都 カタカナ 한국어', '😀 𝐀𝐁𝐂 𐐀𐐨 𠀀 𝟙𝟚', "𝐀'𝐁 a'𠀀", '\ud800 a\udc00b \ud800\ud800', 'e\u0301 x\u0308', "don't it's 3.5% $100",
];

describe('fast paths give what the definitions give', () => {
  it('wordTokens matches the apostrophe-join and letter/number regexes', () => {
    for (const s of TRICKY) expect(wordTokens(s.toLowerCase())).toEqual(regexTokens(s.toLowerCase()));
  });

  it('unifyCharacters keeps plain ASCII as is and still unifies the rest', () => {
    expect(unifyCharacters('Plain ASCII text, no change.')).toBe('Plain ASCII text, no change.');
    expect(unifyCharacters('`a‘ “b” ‐c—\u00a0ﬁ\u200b')).toBe("'a' \"b\" -c- fi");
    expect(unifyCharacters('a´')).toBe('a \u0301'); // NFKC first: the acute accent becomes space + combining acute
    expect(storyTokens('The Mayor’s office')).toEqual(['the', 'mayors', 'office']);
  });

  it('the SIMD and scalar MinHash agree (edge values, every count up to 130)', () => {
    const hashes = Int32Array.from([0, -1, 0x7fffffff, -0x80000000, 1, 12345, -98765, 0x5bd1e995]);
    for (let count = 0; count <= 130; count++) {
      for (const n of [0, 1, 5, hashes.length]) expect(minhashOfHashes(hashes, n, count)).toEqual(minhashOfHashesScalar(hashes, n, count));
    }
  });

  it('shingleHashes gives the hashes of the distinct shingles of both lists', () => {
    const cases: [string[], string[]][] = [
      [[], []], [['a'], []], [['a', 'b'], ['a', 'b']], [['x', 'y', 'z'], 'x y z x y z x y z'.split(' ')],
      [['one'], 'the cat sat on the mat and the cat sat on the mat again and again'.split(' ')],
    ];
    for (const [title, body] of cases) {
      const set = shingles(title);
      for (const s of shingles(body)) set.add(s);
      const got = shingleHashes(title, body, 16);
      expect(got.count).toBe(set.size);
      expect([...got.hashes.subarray(0, got.count)].map((h) => h >>> 0).sort()).toEqual([...set].map(fnv1a).sort());
      expect(minhashOfHashes(got.hashes, got.count, 128)).toEqual(minhashOf(set));
      if (body.length >= 16) expect(minhashOfHashes(got.lead!, got.lead!.length, 9)).toEqual(minhashOf(shingles(body.slice(0, 16)), 9));
      else expect(got.lead).toBeUndefined();
    }
  });
});
