/**
 * The API's Lambda handler serving `/sources/{id}.xml|atom|json` as the CDN's origin, on a real
 * runtime seeded by one real cycle: the self links follow the public URL header the CDN sets, else
 * the function URL itself (no public URL configured), else the configured one; If-None-Match and
 * HEAD pass through the function URL event.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCycle } from '../../cli/local/cycle';
import { startFeedServer, type FeedServer } from '../../cli/local/feed-server';
import { createApiHandler } from '../../functions/api/handler';
import { PUBLIC_URL_HEADER } from '../../shared/api/cdn';
import { ENV, loadConfig } from '../../shared/config';
import { createRuntime, type Runtime } from '../../shared/runtime';
import { serializeOpml } from '../../shared/sources/opml';
import { testFeedFiles } from '../api/fixtures';
import { createTestStores, testConfig } from '../helpers/stores';

let server: FeedServer;
let rt: Runtime;
let dir: string;
const savedPublicUrl = process.env[ENV.publicUrl];

beforeAll(async () => {
  server = await startFeedServer(testFeedFiles());
  const config = testConfig({ logLevel: 'SILENT', publicUrl: 'https://configured.example', fetch: { ...loadConfig({}).fetch, allowHosts: [`127.0.0.1:${server.port}`] } });
  await createTestStores(config);
  rt = createRuntime(config);
  dir = await mkdtemp(join(tmpdir(), 'tributary-api-handler-'));
  const file = join(dir, 'sources.opml');
  await writeFile(file, serializeOpml({ title: 'api handler', sources: [{ id: 'alpha', url: `${server.url}/alpha.xml`, title: 'Alpha', tags: [] }] }));
  expect((await runCycle(rt, file, true)).failures).toEqual([]);
});

afterEach(() => {
  if (savedPublicUrl === undefined) delete process.env[ENV.publicUrl];
  else process.env[ENV.publicUrl] = savedPublicUrl;
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const api = async (rawPath: string, headers: Record<string, string> = {}, method = 'GET') =>
  (await createApiHandler(() => rt)({ rawPath, rawQueryString: '', headers, requestContext: { http: { method }, domainName: 'abc123.lambda-url.eu-west-1.on.aws' } } as unknown as LambdaFunctionURLEvent)) as Exclude<LambdaFunctionURLResult, string>;
const selfLink = (body: unknown) => /<link rel="self" type="application\/atom\+xml" href="([^"]+)"\/>/.exec(String(body))?.[1];

describe('the API handler as the origin of /sources/*', () => {
  it('links to the public URL the CDN names, and ignores a header that is not an http(s) URL', async () => {
    delete process.env[ENV.publicUrl];
    const viaCdn = await api('/sources/alpha.atom', { [PUBLIC_URL_HEADER]: 'https://d111.cloudfront.net' });
    expect(viaCdn).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'public, max-age=300' } });
    expect(selfLink(viaCdn.body)).toBe('https://d111.cloudfront.net/sources/alpha.atom');
    expect(selfLink((await api('/sources/alpha.atom', { [PUBLIC_URL_HEADER]: 'javascript:alert(1)' })).body)).toBe('https://abc123.lambda-url.eu-west-1.on.aws/sources/alpha.atom');
  });

  it('links to the function URL without the header when no public URL is configured, else to the configured one', async () => {
    delete process.env[ENV.publicUrl];
    expect(selfLink((await api('/sources/alpha.atom')).body)).toBe('https://abc123.lambda-url.eu-west-1.on.aws/sources/alpha.atom');
    process.env[ENV.publicUrl] = 'https://configured.example';
    expect(selfLink((await api('/sources/alpha.atom')).body)).toBe('https://configured.example/sources/alpha.atom');
  });

  it('answers If-None-Match with 304 and HEAD with no body', async () => {
    const headers = { [PUBLIC_URL_HEADER]: 'https://d111.cloudfront.net' };
    const first = await api('/sources/alpha.xml', headers);
    const etag = String(first.headers?.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(await api('/sources/alpha.xml', { ...headers, 'if-none-match': etag })).toMatchObject({ statusCode: 304, body: '' });
    expect(await api('/sources/alpha.xml', headers, 'HEAD')).toMatchObject({ statusCode: 200, body: '', headers: { etag } });
    expect((await api('/sources/nobody.xml', headers)).statusCode).toBe(404);
  });
});
