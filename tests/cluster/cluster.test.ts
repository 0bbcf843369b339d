import { describe, expect, it } from 'vitest';
import { isSameStory, normaliseTitle, shareBand, similarity, storySignature } from '../../shared/cluster';
import { FULL_BANDS, LEAD_BANDS } from '../../shared/cluster/signature';

const TITLE = 'Harbour breakwater opens after three years of work';
const TEXT = [
  'The harbour authority in Portwick opened a new breakwater on Tuesday, ending three years of construction that cost 84 million euros.',
  'Engineers used interlocking concrete blocks weighing twelve tonnes each and tested the design in a wave tank in Delft before building began.',
  'Fishermen who opposed the project at first said calmer water inside the harbour had already made landing their catch easier and safer.',
  'The mayor said the town would hold a celebration on the quay next month, with guided walks along the top of the wall for residents and visitors.',
  'The authority expects the structure to protect the old town from winter storms for at least fifty years, and plans a second phase in 2028.',
].join(' ');

const original = storySignature(TITLE, TEXT, 'en');

describe('normaliseTitle', () => {
  it.each([
    ['UPDATE 2-Syria: Rebels take town', 'Rebels take town'],
    ['EXCLUSIVE: Bank plans job cuts', 'Bank plans job cuts'],
    ['Floods hit valley towns after storm | Reuters', 'Floods hit valley towns after storm'],
  ])('%j → %j', (raw, want) => expect(normaliseTitle(raw)).toBe(want));
});

describe('same story', () => {
  it('matches wire copy with a desk prefix, dateline and credits', () => {
    const wire = storySignature(`UPDATE 1-${TITLE}`, `PORTWICK (Reuters) - ${TEXT}\n(Reporting by Ann Lee; Editing by Tom Ray)`, 'en');
    expect(isSameStory(original, wire)).toBe(true);
    expect(shareBand(original, wire)).toBe(true);
  });

  it('matches an outlet copy with boilerplate, tracking links and curly quotes', () => {
    const text = `${TEXT.replace(/'/g, '’')}\n© 2026 Coast News. All rights reserved.\nThis article originally appeared on Harbour Daily.\nRead more at https://harbour.example/x?utm_source=rss&fbclid=abc`;
    const copy = storySignature(`${TITLE} | Coast News`, text, 'en');
    expect(isSameStory(original, copy)).toBe(true);
  });

  it('matches a teaser that is the first 30% of the story', () => {
    const words = TEXT.split(' ');
    const teaser = storySignature(TITLE, `${words.slice(0, Math.round(words.length * 0.3)).join(' ')}… Read more: https://t.co/x`, 'en');
    expect(isSameStory(original, teaser)).toBe(true);
    expect(shareBand(original, teaser)).toBe(true);
  });

  it('matches an other-language outlet quoting the story in English', () => {
    const half = TEXT.split('. ').slice(0, 3).join('. ');
    const de = storySignature('Presseschau: Neuer Wellenbrecher', `Die Agentur meldete am Abend Folgendes. In der Originalmeldung heißt es:\n"${half}."\nDie Behörden wollten sich nicht äußern.`, 'de');
    expect(isSameStory(original, de)).toBe(true);
  });
});

describe('different stories', () => {
  it('does not match a different story on the same topic', () => {
    const other = storySignature('Storm wall plan approved for northern port', 'Councillors in Eastby approved plans on Monday for a sea wall to protect the northern port from storm surges, after flooding damaged forty homes last winter. Construction of the 2.1 kilometre wall is due to start next spring and will take two years, the council said. Residents had campaigned for better defences since a storm in 2024 breached the old harbour wall.', 'en');
    expect(isSameStory(original, other)).toBe(false);
    expect(similarity(original, other)).toBeLessThan(0.2);
  });

  it('does not match a digest that lists the story title among many headlines', () => {
    const digest = storySignature('Morning briefing: the day’s top stories', [
      'Good morning. Here is what our editors are following today.',
      `• ${TITLE}`, '• Council approves budget for new school in Eastby', '• Ferry fares to rise by five percent in April',
      '• Lighthouse keeper retires after forty years', '• Storm warning issued for the weekend', '• Fishing quotas cut for cod and haddock',
      '• Local team wins regional rowing title', 'Sign up for our newsletter to get this briefing every day.',
    ].join('\n'), 'en');
    expect(isSameStory(original, digest)).toBe(false);
  });

  it('gives empty text no band keys and no match', () => {
    const empty = storySignature('', '', 'en');
    expect(empty.bands).toEqual([]);
    expect(isSameStory(empty, empty)).toBe(false);
  });
});

describe('signature', () => {
  it('is deterministic and bounded: 128 MinHash values and one key per full and lead band', () => {
    const again = storySignature(TITLE, TEXT, 'en');
    expect(again).toEqual(original);
    expect(original.minhash).toHaveLength(128);
    expect(original.bands).toHaveLength(FULL_BANDS + LEAD_BANDS);
  });
});
