/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) generator. Absent optional fields are
 * left out rather than written as null; the sources go in the `_tributary` extension.
 */
import type { Enclosure, Item, Person } from '../model';
import { requiredRfc3339, rfc3339 } from './dates';
import { feedUrl, itemSources, itemUrn, knownLength, sourceName } from './links';
import type { FeedMeta, SourceInfo } from './types';
import { cleanText } from './xml';

/** A JSON Feed 1.1 author. */
interface JsonAuthor {
  name?: string;
  url?: string;
}

/** A JSON Feed 1.1 attachment. */
interface JsonAttachment {
  url: string;
  mime_type: string;
  title?: string;
  size_in_bytes?: number;
  duration_in_seconds?: number;
}

/** A source in the `_tributary` extension. */
interface JsonSource {
  id: string;
  title: string;
  feed_url?: string;
  home_page_url?: string;
}

/** A JSON Feed 1.1 item as Tributary writes it. */
interface JsonItem {
  id: string;
  url?: string;
  title?: string;
  content_html?: string;
  content_text?: string;
  summary?: string;
  image?: string;
  date_published: string;
  date_modified?: string;
  authors?: JsonAuthor[];
  tags?: string[];
  language?: string;
  attachments?: JsonAttachment[];
  /** The sources carrying the entry and, for a clustered item, its story's id. */
  _tributary: { sources: JsonSource[]; story_id?: string };
}

function author(person: Person): JsonAuthor | undefined {
  const email = person.email?.trim();
  const url = person.url?.trim() || (email ? `mailto:${email}` : undefined);
  const name = person.name?.trim() || email;
  if (!name && !url) return undefined;
  return { ...(name ? { name } : {}), ...(url ? { url } : {}) };
}

function attachment(enclosure: Enclosure): JsonAttachment {
  const size = knownLength(enclosure.length);
  const seconds = enclosure.durationS;
  const duration = seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
  return {
    url: enclosure.url,
    mime_type: enclosure.type?.includes('/') ? enclosure.type : 'application/octet-stream',
    ...(enclosure.title ? { title: enclosure.title } : {}),
    ...(size !== undefined ? { size_in_bytes: size } : {}),
    ...(duration !== undefined ? { duration_in_seconds: duration } : {}),
  };
}

/** content_html and/or content_text; one is required, so fall back to the summary, then the title. */
function content(item: Item): Pick<JsonItem, 'content_html' | 'content_text'> {
  if (item.contentHtml !== undefined || item.contentText !== undefined) {
    return {
      ...(item.contentHtml !== undefined ? { content_html: item.contentHtml } : {}),
      ...(item.contentText !== undefined ? { content_text: item.contentText } : {}),
    };
  }
  if (item.summaryHtml !== undefined) return { content_html: item.summaryHtml };
  return { content_text: item.summaryText ?? item.title };
}

function jsonItem(item: Item, sources: ReadonlyMap<string, SourceInfo>): JsonItem {
  const authors = item.authors.map(author).filter((a): a is JsonAuthor => a !== undefined);
  const tags = item.categories.filter((c) => c.trim() !== '');
  const modified = rfc3339(item.updated);
  return {
    id: itemUrn(item.id),
    ...(item.url !== undefined ? { url: item.url } : {}),
    ...(item.title !== '' ? { title: item.title } : {}),
    ...content(item),
    ...(item.summaryText !== undefined ? { summary: item.summaryText } : {}),
    ...(item.image !== undefined ? { image: item.image } : {}),
    date_published: rfc3339(item.published) ?? requiredRfc3339(item.sortDate, `item ${item.id} sortDate`),
    ...(modified !== undefined ? { date_modified: modified } : {}),
    ...(authors.length > 0 ? { authors } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    ...(item.lang !== undefined ? { language: item.lang } : {}),
    ...(item.enclosures.length > 0 ? { attachments: item.enclosures.map(attachment) } : {}),
    _tributary: {
      sources: itemSources(sources, item).map((s) => ({
        id: s.id,
        title: sourceName(s),
        ...(s.url !== '' ? { feed_url: s.url } : {}),
        ...(s.siteUrl ? { home_page_url: s.siteUrl } : {}),
      })),
      ...(item.storyId !== undefined ? { story_id: item.storyId } : {}),
    },
  };
}

/** JSON.stringify replacer: removes the characters XML 1.0 cannot carry, so every format has the same text. */
function cleanStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? cleanText(value) : value;
}

/**
 * The feed as a JSON Feed 1.1 document. Item ids are `urn:tributary:item:<id>`;
 * date_published is the item's published date, else its sort date.
 */
export function renderJsonFeed(
  items: readonly Item[],
  meta: FeedMeta,
  sources: ReadonlyMap<string, SourceInfo>,
): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    home_page_url: meta.publicUrl,
    feed_url: feedUrl(meta, 'json'),
    ...(meta.description?.trim() ? { description: meta.description } : {}),
    ...(meta.lang !== undefined ? { language: meta.lang } : {}),
    ...(meta.hub !== undefined ? { hubs: [{ type: 'WebSub', url: meta.hub }] } : {}),
    items: items.map((item) => jsonItem(item, sources)),
  };
  return `${JSON.stringify(feed, cleanStrings, 2)}\n`;
}
