/**
 * The deployed code is the tested code: synth bundles the four handlers (esbuild, ESM, minified),
 * and this test runs those very files from cdk.out in child processes, with the environment the
 * template gives each function. Only the table and bucket names (CloudFormation imports), the public
 * URL (the distribution's domain) and the local endpoints are filled in; the fetcher function stays
 * unset, so the scheduler uses its in-process dispatcher.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CfnResource } from 'aws-cdk-lib';
import { ENV, type Config } from '../../shared/config';
import { destroyClients } from '../../shared/store/clients';
import { createTestStores, testConfig, type TestStores } from '../helpers/stores';
import type { FunctionName } from '../../infra/constructs/tributary-function';
import { buildTestApp, type TestApp } from './app-fixture';

const PUBLIC_URL = 'https://d1234example.cloudfront.net';

const RSS = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback News</title><link>http://example.org/</link>
<item><title>First story</title><link>http://example.org/1</link><guid>http://example.org/1</guid><pubDate>Mon, 02 Jun 2025 10:00:00 GMT</pubDate><description>One</description></item>
<item><title>Second story</title><link>http://example.org/2</link><guid>http://example.org/2</guid><pubDate>Tue, 03 Jun 2025 10:00:00 GMT</pubDate><description>Two</description></item>
</channel></rss>`;

/** Imports a bundle, calls its handler with an event, prints the result after a marker, and exits (SDK sockets would keep it alive). */
const RUNNER = `
const [file, event] = process.argv.slice(1);
const { handler } = await import(file);
const result = await handler(JSON.parse(event), {});
process.stdout.write('\\n@@RESULT@@' + JSON.stringify(result) + '\\n', () => process.exit(0));
`;

let built: TestApp;
let server: Server;
let base: string;
let config: Config;
let stores: TestStores;
const bundles = {} as Record<FunctionName, { file: string; variables: Record<string, unknown> }>;

interface Run {
  result: any;
  logs: Record<string, any>[];
}

function runBundle(name: FunctionName, event: unknown): Promise<Run> {
  const { file, variables } = bundles[name];
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', AWS_REGION: config.region };
  for (const [key, value] of Object.entries(variables)) {
    if (typeof value === 'string') env[key] = value;
    else if (key === ENV.table) env[key] = config.tableName;
    else if (key === ENV.bucket) env[key] = config.bucketName;
    else if (key === ENV.publicUrl) env[key] = PUBLIC_URL;
    else if (key !== ENV.fetcherFunction) throw new Error(`${name}: no test value for ${key} = ${JSON.stringify(value)}`);
  }
  env[ENV.dynamoEndpoint] = config.dynamoEndpoint as string;
  env[ENV.s3Endpoint] = config.s3Endpoint as string;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', RUNNER, `file://${file}`, JSON.stringify(event)], { env, timeout: 20_000 }, (err, stdout, stderr) => {
      const [out, marker] = stdout.split('\n@@RESULT@@');
      if (err || marker === undefined) return reject(new Error(`${name} bundle failed: ${err?.message}\n${stderr}\n${stdout}`));
      // Lambda sends both streams to the log group; Powertools writes WARN and ERROR to stderr.
      const logs = `${out ?? ''}\n${stderr}`.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);
      resolve({ result: JSON.parse(marker), logs });
    });
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/good.xml') res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS);
    else res.writeHead(500, { 'content-type': 'text/plain' }).end('down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  // The loopback feed server is exempted from the private-address guard through the stack's own setting.
  built = buildTestApp({ bundle: true, context: { 'tributary:allowHosts': [`127.0.0.1:${port}`] } });
  const assembly = built.app.synth();
  const template = JSON.parse(readFileSync(join(assembly.directory, `${built.stateless.artifactId}.template.json`), 'utf8'));
  for (const [name, f] of Object.entries(built.stateless.functions) as [FunctionName, (typeof built.stateless.functions)[FunctionName]][]) {
    const resource = template.Resources[built.stateless.getLogicalId(f.fn.node.defaultChild as CfnResource)];
    const hash = String(resource.Properties.Code.S3Key).replace(/\.zip$/, '');
    bundles[name] = { file: join(assembly.directory, `asset.${hash}`, 'index.mjs'), variables: resource.Properties.Environment.Variables };
  }
  config = testConfig();
  stores = await createTestStores(config);
  const opml = `<?xml version="1.0"?><opml version="2.0" xmlns:tributary="https://tributary.dev/ns/opml/1.0"><head><title>t</title></head><body>
<outline type="rss" tributary:id="good" title="Good" xmlUrl="${base}/good.xml"/>
<outline type="rss" tributary:id="broken" title="Broken" xmlUrl="${base}/broken.xml"/>
</body></opml>`;
  await stores.blobs.put(config.sourcesKey, opml, { contentType: 'text/x-opml' });
}, 120_000);

afterAll(async () => {
  if (stores) destroyClients(stores.clients);
  built?.dispose();
  await new Promise((resolve) => server?.close(resolve));
});

describe('bundled handlers from cdk.out', () => {
  it('are minified ESM files with source maps and the AWS SDK inside', () => {
    for (const { file } of Object.values(bundles)) {
      expect(existsSync(`${file}.map`)).toBe(true);
      const code = readFileSync(file, 'utf8');
      expect(code.startsWith('import { createRequire')).toBe(true);
      expect(code).not.toMatch(/from\s*"@aws-sdk\//);
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000); // minified: long lines
      expect(statSync(file).size).toBeLessThan(5 * 1024 * 1024);
    }
  });

  it('scheduler dispatches every source of the OPML in the bucket in one job when forced', async () => {
    const { result } = await runBundle('scheduler', { force: true });
    expect(result).toEqual({ sources: 2, due: 2, jobs: 1, cycle: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) });
  });

  it('fetcher stores the good feed, records the broken one as failed, rejects a bad entry, and logs the lines the alarm counts', async () => {
    const entry = (sourceId: string, url: string) => ({ source: { id: sourceId, url, title: sourceId, tags: [] } });
    const job = { cycle: new Date().toISOString(), sources: [entry('good', `${base}/good.xml`), entry('broken', `${base}/broken.xml`), { source: { id: 'no-url' } }] };
    const { result, logs } = await runBundle('fetcher', job);
    expect(result.rejected).toEqual(['entry 2: no source with an id and a url']);
    expect(result.outcomes.find((o: any) => o.sourceId === 'good')).toMatchObject({ status: 'ok', itemsNew: 2 });
    expect(result.outcomes.find((o: any) => o.sourceId === 'broken')).toMatchObject({ status: 'error', retryable: true });
    // The metric filters: { $.message = "source failed" } counts 1 per line, { $.message = "fetched" } sums $.sources.
    expect(logs.filter((l) => l.message === 'source failed').map((l) => l.sourceId)).toEqual(['broken']);
    expect(logs.filter((l) => l.message === 'fetched').map((l) => l.sources)).toEqual([2]);
    expect((await stores.blobs.list('raw/feeds/good/')).length).toBe(1);
  });

  it('publisher writes only under the publish prefix its role may write, with the public URL in the feeds', async () => {
    const { result } = await runBundle('publisher', {});
    expect(result.items).toBe(2);
    expect(result.written).toEqual(expect.arrayContaining(['feeds/feed.xml', 'feeds/feed.atom', 'feeds/feed.json']));
    for (const key of result.written) expect(key.startsWith(bundles.publisher.variables[ENV.publishPrefix] as string)).toBe(true);
    const atom = new TextDecoder().decode(await stores.blobs.get('feeds/feed.atom'));
    expect(atom).toContain(`${PUBLIC_URL}/feed.atom`);
    expect(atom).toContain('Second story');
  });

  it('api serves the published feed, the items and the sources', async () => {
    const request = (path: string, query = '') => ({ rawPath: path, rawQueryString: query, headers: {}, requestContext: { http: { method: 'GET', path } } });
    const feed = (await runBundle('api', request('/feed.json'))).result;
    expect(feed.statusCode).toBe(200);
    const body = feed.isBase64Encoded ? Buffer.from(feed.body, 'base64').toString('utf8') : feed.body;
    expect(JSON.parse(body).items.map((i: any) => i.title)).toEqual(['Second story', 'First story']);
    const items = (await runBundle('api', request('/items', 'limit=1'))).result;
    expect(JSON.parse(items.body).items).toHaveLength(1);
    const sources = (await runBundle('api', request('/sources'))).result;
    expect(JSON.parse(sources.body).sources.map((s: any) => [s.id, s.state.status])).toEqual([['good', 'ok'], ['broken', 'error']]);
  });
});
