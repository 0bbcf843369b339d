/**
 * The read-only HTTP API, as a pure function from request to response, so the local server and the
 * Lambda function URL serve exactly the same thing. Bad parameters get a 400 with a clear message;
 * nothing here ever answers with a stack trace.
 */
import { TributaryError, describeError } from '../errors';
import type { Runtime } from '../runtime';
import { loadSourceList } from '../sources/load';
import { FEED_FILES } from '../publish';
import { parseItemQuery, QueryError } from './query';

/** A request as the API sees it. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
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

async function route(req: ApiRequest, rt: Runtime): Promise<ApiResponse> {
  const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 1 && /^feed\.(xml|atom|json)$/.test(parts[0] as string)) return feedFile(rt, parts[0] as string);
  if (parts[0] === 'items' && parts.length === 1) {
    const q = parseItemQuery(req.query);
    const page = await rt.items.newest(q);
    return json(200, { items: page.items, ...(page.cursor ? { next: page.cursor } : {}) });
  }
  if (parts[0] === 'items' && parts.length === 2) {
    const item = (await rt.items.getItems([parts[1] as string])).get(parts[1] as string);
    if (!item) return problem(404, `no item ${parts[1]}`);
    const { version: _v, ...rest } = item;
    return json(200, rest);
  }
  if (parts[0] === 'sources' && parts.length <= 2) {
    const { sources } = await loadSourceList(rt.blobs, rt.config.sourcesKey);
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
    return json(200, { ok: true, feeds: ['/feed.xml', '/feed.atom', '/feed.json'], api: ['/items', '/items/{id}', '/sources', '/sources/{id}'] });
  }
  return problem(404, `no route ${req.path}`);
}

/** Answers one API request; only GET and HEAD are allowed (the API only reads). */
export async function handleApiRequest(req: ApiRequest, rt: Runtime): Promise<ApiResponse> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return { ...problem(405, 'the API only reads: use GET'), headers: { 'content-type': JSON_TYPE, allow: 'GET, HEAD' } };
  try {
    return await route(req, rt);
  } catch (err) {
    if (err instanceof QueryError) return problem(400, err.message);
    if (err instanceof TributaryError) return problem(err.retryable ? 503 : 500, describeError(err));
    return problem(500, 'internal error');
  }
}
