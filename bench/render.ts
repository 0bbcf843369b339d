/**
 * Serialises a workload feed as RSS 2.0 (with dc: and content: extensions, HTML in CDATA or escaped)
 * or Atom 1.0 (escaped HTML content and a text summary), declaring the feed's encoding.
 */
import { escapeXml } from './text';
import type { Story, WorkloadFeed } from './workload';

/** The first sentence of a story's HTML as plain text (the summary of an entry). */
function summaryOf(story: Story): string {
  const text = story.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  const end = text.indexOf('. ');
  return end > 0 ? text.slice(0, end + 1) : text.slice(0, 200);
}

function rssItem(feed: WorkloadFeed, story: Story): string {
  const categories = story.categories.map((c) => `      <category>${escapeXml(c)}</category>`).join('\n');
  const body = feed.htmlInDescription
    ? `      <description><![CDATA[${story.html}]]></description>`
    : `      <description>${summaryOf(story)}</description>\n      <content:encoded><![CDATA[${story.html}]]></content:encoded>`;
  return [
    '    <item>',
    `      <title>${escapeXml(story.title)}</title>`,
    `      <link>${escapeXml(story.link)}</link>`,
    `      <guid isPermaLink="true">${escapeXml(story.guid)}</guid>`,
    `      <pubDate>${story.published.toUTCString().replace('GMT', '+0000')}</pubDate>`,
    `      <dc:creator>${escapeXml(story.author)}</dc:creator>`,
    categories,
    body,
    '    </item>',
  ].join('\n');
}

/** The feed as RSS 2.0 text. */
export function renderRss(feed: WorkloadFeed): string {
  return [
    `<?xml version="1.0" encoding="${feed.encoding}"?>`,
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '  <channel>',
    `    <title>${escapeXml(feed.title)}</title>`,
    `    <link>${feed.site}/</link>`,
    `    <description>${escapeXml(feed.title)}: the latest stories</description>`,
    `    <language>${feed.lang}</language>`,
    `    <lastBuildDate>${feed.updatedAt.toUTCString().replace('GMT', '+0000')}</lastBuildDate>`,
    ...feed.stories.map((s) => rssItem(feed, s)),
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

function atomEntry(story: Story): string {
  const categories = story.categories.map((c) => `    <category term="${escapeXml(c)}"/>`).join('\n');
  return [
    '  <entry>',
    `    <title>${escapeXml(story.title)}</title>`,
    `    <link rel="alternate" type="text/html" href="${escapeXml(story.link)}"/>`,
    `    <id>${escapeXml(story.guid)}</id>`,
    `    <published>${story.published.toISOString()}</published>`,
    `    <updated>${story.published.toISOString()}</updated>`,
    `    <author><name>${escapeXml(story.author)}</name></author>`,
    categories,
    `    <summary type="text">${summaryOf(story)}</summary>`,
    `    <content type="html">${escapeXml(story.html)}</content>`,
    '  </entry>',
  ].join('\n');
}

/** The feed as Atom 1.0 text. */
export function renderAtom(feed: WorkloadFeed): string {
  return [
    `<?xml version="1.0" encoding="${feed.encoding}"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${feed.lang}">`,
    `  <title>${escapeXml(feed.title)}</title>`,
    `  <link rel="alternate" type="text/html" href="${feed.site}/"/>`,
    `  <link rel="self" type="application/atom+xml" href="${feed.site}/feed.atom"/>`,
    `  <id>${feed.site}/</id>`,
    `  <updated>${feed.updatedAt.toISOString()}</updated>`,
    ...feed.stories.map(atomEntry),
    '</feed>',
    '',
  ].join('\n');
}
