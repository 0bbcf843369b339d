import { describe, expect, it } from 'vitest';
import { isBoilerplateLine, pageOverlap, scoreBodies, shingleCounts } from '../../shared/extract';

describe('isBoilerplateLine', () => {
  it.each([
    'Tags: floods, weather, Spain',
    'READ MORE: China plague outbreak confirmed',
    'Related: SpaceX Starship in pictures',
    'Published 1 day ago',
    'PUBLISHED: 10:48, Tue, Nov 19, 2019',
    'By Justine Coleman - 11/18/19 11:04 PM EST',
    'Image copyright',
    'Sign up for our newsletter',
    '© 2026 Coast News',
  ])('drops %j', (line) => expect(isBoilerplateLine(line)).toBe(true));

  it.each([
    'More than 100 people were evacuated from the valley on Sunday.',
    'Posted on social media by analysts at Digital Foundry, the port runs poorly.',
    'By Tuesday the river had fallen below the flood mark.',
    'Updates to the software arrive every month, the company said.',
  ])('keeps %j', (line) => expect(isBoilerplateLine(line)).toBe(false));

  it('drops the headline repeated as a paragraph', () => {
    expect(isBoilerplateLine('New Breakwater Opens!', 'New breakwater opens')).toBe(true);
  });
});

describe('benchmark scorer', () => {
  it('counts 4-token shingles as a multiset, a short text as one shingle', () => {
    expect([...shingleCounts('a b c d e').entries()]).toEqual([['a b c d', 1], ['b c d e', 1]]);
    expect([...shingleCounts('one two').keys()]).toEqual(['one two']);
    expect(shingleCounts('x y z w x y z w').get('x y z w')).toBe(2);
  });

  it('normalises overlap to sum 1 and averages P and R over pages before F1', () => {
    const o = pageOverlap('a b c d e f', 'a b c d e f g h');
    expect(o.tp + o.fp + o.fn).toBeCloseTo(1);
    const s = scoreBodies(new Map([['p1', 'a b c d e f'], ['p2', 'q r s t']]), new Map([['p1', 'a b c d e f'], ['p2', '']]));
    expect(s.precision).toBeCloseTo(0.5);
    expect(s.recall).toBeCloseTo(0.5);
    expect(s.f1).toBeCloseTo(0.5);
    expect(s.accuracy).toBeCloseTo(0.5);
  });
});
