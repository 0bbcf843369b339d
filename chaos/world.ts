/**
 * One fault's world: a fresh local stack (dynalite + s3rver, real handlers), a loopback feed server
 * with good sources and the faulty ones, the sources OPML, and cycle running that counts runs and
 * crashes instead of letting a throw end the scenario.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCycle, type CycleSummary } from '../cli/local/cycle';
import { startFeedServer, type FeedServer } from '../cli/local/feed-server';
import { startLocalStack, type LocalStack } from '../cli/local/stack';
import type { Config, FetchSettings } from '../shared/config';
import type { Source, SourceState } from '../shared/model';
import { createRuntime, type Runtime } from '../shared/runtime';
import { serializeOpml } from '../shared/sources/opml';
import { entriesFor, rssBytes, type ExpectedEntry } from './feeds';

/** Fetch limits small enough that timeouts and caps trigger in well under a second or two. */
export const CHAOS_FETCH: Partial<FetchSettings> = {
  connectTimeoutMs: 1_000,
  totalTimeoutMs: 2_500,
  idleTimeoutMs: 500,
  maxBodyBytes: 256 * 1024,
  maxRedirects: 5,
};

/** A faulty source: its id, the URL the OPML lists, and whether its entries must arrive in the end. */
export interface FaultySourceSpec {
  id: string;
  /** Absolute URL (`{port}` is replaced by the feed server's port), or a path on the feed server. */
  url: string;
  /** Entries the source serves once the fault clears; counted as expected when `recovers`. */
  entries?: number;
  recovers: boolean;
}

/** How to build a world. */
export interface WorldOptions {
  goodSources?: number;
  entriesPerSource?: number;
  faulty?: FaultySourceSpec[];
  fetch?: Partial<FetchSettings>;
  /** Builds the runtime the handlers use (e.g. wired through a fault proxy); default: the stack's. */
  runtime?: (config: Config) => Runtime;
  dataDir?: string;
  /** Good entries carry only a guid, no link (new items then go through BatchWriteItem, not conditional puts). */
  linkless?: boolean;
  /** Further `host:port` entries the fetch guard allows. */
  allowHosts?: string[];
}

/** A running world. */
export interface World {
  stack: LocalStack;
  rt: Runtime;
  server: FeedServer;
  sourcesFile: string;
  sources: Source[];
  expected: ExpectedEntry[];
  /** The good feed bodies by source id (faulty sources serve theirs once the fault clears). */
  feeds: Map<string, Buffer>;
  /** While true, fault routes answer with their fault. */
  faultActive: boolean;
  runs: number;
  crashed: number;
  problems: string[];
  /** Runs a cycle through the real handlers; a throw is counted as a crash and returns undefined. */
  cycle(force?: boolean): Promise<CycleSummary | undefined>;
  /** Records a problem unless `ok`. */
  check(ok: boolean, problem: string): void;
  state(sourceId: string): Promise<SourceState | undefined>;
  /** Serves `fault` on `path` while the fault is active, the source's good feed afterwards. */
  faultRoute(path: string, sourceId: string, fault: (req: IncomingMessage, res: ServerResponse) => void): void;
  close(): Promise<void>;
}

/** The id of the n-th good source. */
export function goodId(n: number): string {
  return `good-${n + 1}`;
}

/** Serves bytes as a 200 feed response. */
export function serveFeed(res: ServerResponse, body: Buffer, contentType = 'application/rss+xml; charset=utf-8'): void {
  res.writeHead(200, { 'content-type': contentType, 'content-length': String(body.length) }).end(body);
}

/** Starts a world: stack, feed server, OPML with good and faulty sources. */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const server = await startFeedServer(new Map());
  const goodCount = options.goodSources ?? 2;
  const perSource = options.entriesPerSource ?? 3;
  const fetch = { ...CHAOS_FETCH, ...options.fetch };
  let stack: LocalStack;
  try {
    stack = await startLocalStack({ allowHosts: [`127.0.0.1:${server.port}`, ...(options.allowHosts ?? [])], dataDir: options.dataDir, overrides: { fetch: fetch as FetchSettings } });
  } catch (err) {
    await server.close();
    throw err;
  }
  const rt = options.runtime ? options.runtime(stack.config) : stack.runtime;
  const feeds = new Map<string, Buffer>();
  const expected: ExpectedEntry[] = [];
  const sources: Source[] = [];
  for (let n = 0; n < goodCount; n++) {
    const id = goodId(n);
    const entries = entriesFor(id, perSource).map((e) => (options.linkless ? { ...e, url: '' } : e));
    feeds.set(id, rssBytes(`Good ${n + 1}`, entries));
    server.set(`/good/${id}.xml`, { body: feeds.get(id) as Buffer, contentType: 'application/rss+xml', lastModified: new Date() });
    expected.push(...entries);
    sources.push({ id, url: `${server.url}/good/${id}.xml`, title: `Good ${n + 1}`, tags: ['chaos'] });
  }
  for (const f of options.faulty ?? []) {
    const entries = entriesFor(f.id, f.entries ?? perSource);
    feeds.set(f.id, rssBytes(`Faulty ${f.id}`, entries));
    if (f.recovers) expected.push(...entries);
    const url = f.url.replace('{port}', String(server.port));
    sources.push({ id: f.id, url: url.startsWith('/') ? `${server.url}${url}` : url, title: f.id, tags: ['chaos', 'faulty'] });
  }
  const dir = await mkdtemp(join(tmpdir(), 'tributary-chaos-'));
  const sourcesFile = join(dir, 'sources.opml');
  await writeFile(sourcesFile, serializeOpml({ title: 'chaos', sources }));

  const world: World = {
    stack,
    rt,
    server,
    sourcesFile,
    sources,
    expected,
    feeds,
    faultActive: true,
    runs: 0,
    crashed: 0,
    problems: [],
    async cycle(force = true) {
      world.runs++;
      try {
        return await runCycle(rt, sourcesFile, force);
      } catch (err) {
        world.crashed++;
        world.problems.push(`cycle threw: ${(err as Error).message}`);
        return undefined;
      }
    },
    check(ok, problem) {
      if (!ok) world.problems.push(problem);
    },
    async state(sourceId) {
      return (await stack.runtime.states.getStates([sourceId])).get(sourceId);
    },
    faultRoute(path, sourceId, fault) {
      server.route(path, (req, res) => {
        if (world.faultActive) fault(req, res);
        else serveFeed(res, feeds.get(sourceId) ?? Buffer.alloc(0));
      });
    },
    async close() {
      await server.close();
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** A runtime on the stack's config with the given endpoint overrides (e.g. a fault proxy). */
export function runtimeVia(config: Config, endpoints: { dynamoEndpoint?: string; s3Endpoint?: string }): Runtime {
  return createRuntime({ ...config, ...endpoints });
}
