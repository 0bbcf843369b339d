/** What story assignment needs of an item: the text its signature is built from, the signature, its member row. */
import { storySignature, type StorySignature } from '../cluster';
import type { Item } from '../model';
import type { StoryMember } from '../store/ports';

/** The text a story signature is built from: extracted article, else feed content, else summary. */
export function storyText(item: Pick<Item, 'articleText' | 'contentText' | 'summaryText'>): string {
  return item.articleText || item.contentText || item.summaryText || '';
}

/** The signature of an item. */
export function itemSignature(item: Item): StorySignature {
  return storySignature(item.title, storyText(item), item.lang);
}

/** The member row of an item in its story. */
export function storyMember(item: Item, storyId: string): StoryMember {
  return { storyId, itemId: item.id, firstSeenAt: item.firstSeenAt, sourceIds: item.sourceIds, title: item.title, ...(item.url ? { url: item.url } : {}) };
}
