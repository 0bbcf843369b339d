/**
 * The read-only HTTP API, as a pure function from request to response, so the local server and the
 * Lambda function URL serve exactly the same thing. Bad parameters get a 400 with a clear message;
 * nothing here ever answers with a stack trace. The combined and tag feeds are the published files;
 * per-source feeds are rendered on demand (source-feed.ts).
 */
import { TributaryError, describeError } from '../errors';
import type { Runtime } from '../runtime';
import { loadSourceList } from '../sources/load';
import { FEED_FILES } from '../publish';
import { newestOfSources, sourcesWithTag } from '../publish/select';
import { collectStatus } from '../status/collect';
import { renderStatusPage } from '../status/render';
import { isValidSourceId } from '../sources/opml';
import { parseItemListQuery, QueryError } from './query';
import { parseSourceFeedName, sourceFeedResponse } from './source-feed';

/** A request as the API sees it. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Request headers, names in lower case (`if-none-match` is honoured by the on-demand feeds). */
  headers?: Readonly<Record<string, string | undefined>>;
  /** The public base URL the request was made under, when the caller knows it (the CDN says so); else the configured one. */
  publicUrl?: string;
}

/** A response to write back. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function json(status: number, value: unknown): ApiResponse {
  return { status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store' }, body: `${JSON.stringify(value, null, 2)}\n` };
}

function problem(status: number, message: string): ApiResponse {
  return json(status, { error: message });
}

async function feedFile(rt: Runtime, name: string): Promise<ApiResponse> {
  const format = (Object.keys(FEED_FILES) as (keyof typeof FEED_FILES)[]).find((f) => name.endsWith(FEED_FILES[f].ext));
  if (!format) return problem(404, `no such feed: ${name}`);
  const body = await rt.blobs.get(`${rt.config.publishPrefix}${name}`);
  if (!body) return problem(404, `${name} is not published yet: run a cycle first`);
  return { status: 200, headers: { 'content-type': FEED_FILES[format].contentType, 'cache-control': 'public, max-age=60' }, body };
}

/** A published feed file name: a safe name and a feed extension (`world.atom`). */
const FEED_NAME = /^[a-z0-9][a-z0-9._-]{0,63}\.(xml|atom|json)$/;

/** The status page, rendered now from bounded reads (states, recent cycles, 14 days per source). */
async function statusPage(rt: Runtime): Promise<ApiResponse> {
  const { sources } = await loadSourceList(rt.blobs, rt.config.sourcesKey);
  const html = renderStatusPage(await collectStatus(rt, sources, { title: rt.config.feedTitle }));
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: html };
}

/** `GET /items`: the newest items, of one source, of the sources carrying a tag, or of all. */
async function listItems(req: ApiRequest, rt: Runtime): Promise<ApiResponse> {
  const { query, tag } = parseItemListQuery(req.query);
  let page;
  if (tag === undefined) {
    page = await rt.items.newest(query);
  } else {
    const { sources } = await loadSourceList(rt.blobs, rt.config.sourcesKey);
    const tagged = sourcesWithTag(sources, tag);
    if (tagged.length === 0) return problem(404, `no source is tagged "${tag}"`);
    page = await newestOfSources(rt.items, tagged.map((s) => s.id), query);
  }
  return json(200, { items: page.items, ...(page.cursor ? { next: page.cursor } : {}) });
}

/** `GET /stories/{id}`: the story's items in arrival order (member rows, then the items), 404 when unknown. */
async function storyById(rt: Runtime, id: string): Promise<ApiResponse> {
  const members = await rt.stories.members(id);
  if (members.length === 0) return problem(404, `no story ${id}`);
  const items = await rt.items.getItems(members.map((m) => m.itemId), { eventual: true });
  const list = members.flatMap((m) => {
    const item = items.get(m.itemId);
    if (!item) return [];
    const { version: _v, ...rest } = item;
    return [rest];
  });
  return json(200, { id, items: list });
}

async function route(req: ApiRequest, rt: Runtime): Promise<ApiResponse> {
  let parts: string[];
  try {
    parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new QueryError(`malformed path ${req.path}`);
  }
  if (parts.length === 1 && /^feed\.(xml|atom|json)$/.test(parts[0] as string)) return feedFile(rt, parts[0] as string);
  if (parts.length === 2 && parts[0] === 'tags' && FEED_NAME.test(parts[1] as string)) return feedFile(rt, `tags/${parts[1]}`);
  if (parts.length === 1 && (parts[0] === 'status' || parts[0] === 'status.html')) return statusPage(rt);
  if (parts[0] === 'items' && parts.length === 1) return listItems(req, rt);
  if (parts[0] === 'items' && parts.length === 2) {
    const item = (await rt.items.getItems([parts[1] as string], { eventual: true })).get(parts[1] as string);
    if (!item) return problem(404, `no item ${parts[1]}`);
    const { version: _v, ...rest } = item;
    return json(200, rest);
  }
  if (parts[0] === 'stories' && parts.length === 2) return storyById(rt, parts[1] as string);
  if (parts[0] === 'sources' && parts.length <= 2) {
    const { sources } = await loadSourceList(rt.blobs, rt.config.sourcesKey);
    // `/sources/{id}.xml|atom|json` is the source's feed, rendered now; `/sources/{id}` the source as
    // JSON (an id may itself end in `.json`: the feed of `{id}` wins, else the source named so).
    const feed = parts[1] === undefined ? undefined : parseSourceFeedName(parts[1]);
    const isSourceId = (id: string) => sources.some((s) => s.id === id);
    if (feed && (isSourceId(feed.sourceId) || !isSourceId(parts[1] as string))) {
      if (!isValidSourceId(feed.sourceId)) throw new QueryError(`"${feed.sourceId}" is not a source id (lower-case letters, digits, ".", "_", "-")`);
      const source = sources.find((s) => s.id === feed.sourceId);
      return source ? sourceFeedResponse(req, rt, source, sources, feed.format) : problem(404, `no source "${feed.sourceId}" in the sources list: no feed at /sources/${parts[1]}`);
    }
    const states = await rt.states.getStates(sources.map((s) => s.id));
    const view = sources.map((s) => {
      const { seen: _seen, ...state } = states.get(s.id) ?? { sourceId: s.id, consecutiveFailures: 0, itemsSeen: 0 };
      return { ...s, state };
    });
    if (parts.length === 1) return json(200, { sources: view });
    const one = view.find((s) => s.id === parts[1]);
    return one ? json(200, one) : problem(404, `no source ${parts[1]}`);
  }
  if (parts.length === 0 || (parts[0] === 'health' && parts.length === 1)) {
    return json(200, {
      ok: true,
      feeds: ['/feed.xml', '/feed.atom', '/feed.json'],
      feedsPerTag: '/tags/{tag}.xml|atom|json',
      feedsPerSource: '/sources/{id}.xml|atom|json',
      status: '/status',
      api: ['/items', '/items?tag={tag}', '/items/{id}', '/stories/{id}', '/sources', '/sources/{id}'],
    });
  }
  return problem(404, `no route ${req.path}`);
}

/** Answers one API request; only GET and HEAD are allowed (the API only reads). */
export async function handleApiRequest(req: ApiRequest, rt: Runtime): Promise<ApiResponse> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ...problem(405, 'the API only reads: use GET'), headers: { 'content-type': JSON_TYPE, allow: 'GET, HEAD' } };
  try {
    const res = await route(req, rt);
    return req.method === 'HEAD' ? { ...res, body: '' } : res;
  } catch (err) {
    if (err instanceof QueryError) return problem(400, err.message);
    if (err instanceof TributaryError) return problem(err.retryable ? 503 : 500, describeError(err));
    return problem(500, 'internal error');
  }
}
