/** `tributary sources push`: the sources file lands in the configured bucket, where the scheduler reads it. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSourceList } from '../../shared/sources/load';
import { serializeOpml } from '../../shared/sources/opml';
import { createTestStores, testConfig } from '../helpers/stores';
import { cli } from './cli';

describe('sources push', () => {
  it('uploads the validated sources file to TRIBUTARY_BUCKET at TRIBUTARY_SOURCES_KEY', async () => {
    const config = testConfig();
    const stores = await createTestStores(config);
    const dir = await mkdtemp(join(tmpdir(), 'tributary-push-'));
    const file = join(dir, 'sources.opml');
    await writeFile(file, serializeOpml({ title: 't', sources: [{ id: 'a', url: 'https://a.example/feed.xml', title: 'A', tags: ['x'] }] }));
    const env = {
      TRIBUTARY_SOURCES_FILE: file,
      TRIBUTARY_BUCKET: config.bucketName,
      TRIBUTARY_S3_ENDPOINT: config.s3Endpoint ?? '',
      TRIBUTARY_SOURCES_KEY: 'config/pushed.opml',
    };
    const result = await cli(['sources', 'push'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.lines.at(-1)).toBe(`pushed 1 sources to s3://${config.bucketName}/config/pushed.opml`);
    const list = await loadSourceList(stores.blobs, 'config/pushed.opml');
    expect(list.sources.map((s) => s.id)).toEqual(['a']);
  });

  it('refuses to push an invalid sources file, with one line and a non-zero exit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tributary-push-'));
    const file = join(dir, 'sources.opml');
    await writeFile(file, '<opml><body><outline xmlUrl="ftp://x"/></body></opml>');
    const result = await cli(['sources', 'push'], { TRIBUTARY_SOURCES_FILE: file, TRIBUTARY_S3_ENDPOINT: 'http://127.0.0.1:9' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/sources: only http and https/);
  });
});
