/**
 * Process faults: a cycle's process SIGKILLed part-way (then re-run in a new process on the same
 * persisted stores), and the same SQS message delivered twice — twice in one event, to two
 * concurrent fetcher invocations, and again after it was processed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFeedServer } from '../cli/local/feed-server';
import { startLocalStack } from '../cli/local/stack';
import { serializeOpml } from '../shared/sources/opml';
import { entriesFor, rssBytes, type ExpectedEntry } from './feeds';
import { invokeFetcher, scheduleAll, sqsEvent } from './handlers';
import { inWorld } from './kit';
import { countItems } from './measure';
import type { FaultRow, FaultScenario } from './scenario';
import { serveFeed } from './world';

const CHILD = fileURLToPath(new URL('./child-cycle.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = 10;
const ENTRIES = 5;
/** Each feed answer is held this long, so a cycle lasts long enough to be killed in the middle. */
const FEED_DELAY_MS = 150;

function spawnCycle(dataDir: string, sourcesFile: string, allowHost: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, sourcesFile, allowHost], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the exit code (or signal) once the child ends; SIGKILLs it after `limitMs`. */
function exited(child: ChildProcess, limitMs: number): Promise<{ code: number | null; signal: string | null; timedOut: boolean }> {
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut });
    });
  });
}

/** How many expected entries the persisted stores hold now (opened in this process, then closed again). */
async function storedNow(dataDir: string, expected: ExpectedEntry[]): Promise<number> {
  const stack = await startLocalStack({ dataDir, allowHosts: [] });
  try {
    return (await countItems(stack.runtime.items, expected)).stored;
  } finally {
    await stack.close();
  }
}

/** SIGKILLs a cycle process once `killAfterFeeds` feeds were served, re-runs the cycle in a new process, then counts. */
function killMidCycle(name: string, killAfterFeeds: number, fast = false): FaultScenario {
  return {
    name,
    group: 'process',
    how: `SIGKILL the cycle process ${killAfterFeeds} of ${SOURCES} feeds in (plus 40 ms), then re-run the cycle in a new process`,
    ...(fast ? { fast: true } : {}),
    async run(): Promise<FaultRow> {
      const started = Date.now();
      const problems: string[] = [];
      let crashed = 0;
      const dir = await mkdtemp(join(tmpdir(), 'tributary-chaos-kill-'));
      const server = await startFeedServer(new Map());
      const expected: ExpectedEntry[] = [];
      let served = 0;
      let onServed: (() => void) | undefined;
      const sources = Array.from({ length: SOURCES }, (_, n) => {
        const id = `kill-${n + 1}`;
        const entries = entriesFor(id, ENTRIES);
        expected.push(...entries);
        const body = rssBytes(id, entries);
        server.route(`/${id}.xml`, (_req, res) =>
          void setTimeout(() => {
            serveFeed(res, body);
            served++;
            onServed?.();
          }, FEED_DELAY_MS),
        );
        return { id, url: `${server.url}/${id}.xml`, title: id, tags: ['chaos'] };
      });
      const sourcesFile = join(dir, 'sources.opml');
      await writeFile(sourcesFile, serializeOpml({ title: 'kill', sources }));
      const dataDir = join(dir, 'data');
      const allow = `127.0.0.1:${server.port}`;
      try {
        const victim = spawnCycle(dataDir, sourcesFile, allow);
        let killedAt = -1;
        onServed = () => {
          if (served === killAfterFeeds) setTimeout(() => {
            killedAt = served;
            victim.kill('SIGKILL');
          }, 40);
        };
        const first = await exited(victim, 45_000);
        if (first.signal !== 'SIGKILL' || first.timedOut) problems.push(`the victim was not killed mid-cycle (exit ${first.code}, signal ${first.signal}, timed out ${first.timedOut})`);
        else if (killedAt >= SOURCES) problems.push('the kill came after every feed was served');
        onServed = undefined;
        const notes = [`killed after ${killedAt} of ${SOURCES} feeds were served; ${await storedNow(dataDir, expected)} of ${expected.length} entries were stored at that point`];
        const rerun = spawnCycle(dataDir, sourcesFile, allow);
        let stderr = '';
        rerun.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2_000)));
        const second = await exited(rerun, 60_000);
        if (second.code !== 0) {
          crashed++;
          problems.push(`the re-run cycle process died (exit ${second.code}, signal ${second.signal}): ${stderr.trim().split('\n').pop() ?? ''}`);
        }
        const stack = await startLocalStack({ dataDir, allowHosts: [] });
        try {
          const counts = await countItems(stack.runtime.items, expected);
          const states = await stack.runtime.states.getStates(sources.map((s) => s.id));
          const notOk = sources.filter((s) => states.get(s.id)?.status !== 'ok' && states.get(s.id)?.status !== 'not-modified');
          if (notOk.length > 0) problems.push(`sources not ok after the re-run: ${notOk.map((s) => `${s.id}=${states.get(s.id)?.status}`).join(', ')}`);
          return { fault: name, group: 'process', runs: 2, ...counts, crashed, ssrfReached: 0, problems, notes, wallMs: Date.now() - started };
        } finally {
          await stack.close();
        }
      } finally {
        await server.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The same messages delivered `copies` times, concurrently (separate invocations) or within one event. */
function duplicateDelivery(name: string, how: string, mode: 'same-event' | 'concurrent' | 'sequential', copies: number, fast = false): FaultScenario {
  return {
    name,
    group: 'process',
    how,
    ...(fast ? { fast: true } : {}),
    run: () =>
      inWorld(name, 'process', { goodSources: 4, entriesPerSource: 5 }, async (world) => {
        const messages = await scheduleAll(world);
        const ids = messages.map((_, i) => `dup-${i}`);
        if (mode === 'same-event') {
          // Half the copies keep the message id (SQS redelivery), half get a new one (a duplicate send).
          const all = Array.from({ length: copies }, () => messages).flat();
          const allIds = Array.from({ length: copies }, (_, c) => ids.map((id, i) => (i % 2 === 0 ? id : `${id}-copy-${c}`))).flat();
          const result = await invokeFetcher(world, sqsEvent(all, allIds));
          world.check(result?.outcomes.length === messages.length, `one event with duplicates gave ${result?.outcomes.length} outcomes for ${messages.length} sources`);
        } else if (mode === 'concurrent') {
          await Promise.all(Array.from({ length: copies }, () => invokeFetcher(world, sqsEvent(messages, ids))));
        } else {
          for (let c = 0; c < copies; c++) await invokeFetcher(world, sqsEvent(messages, ids));
        }
        const states = await world.stack.runtime.states.getStates(messages.map((m) => m.source.id));
        const bad = messages.filter((m) => states.get(m.source.id)?.status !== 'ok' && states.get(m.source.id)?.status !== 'not-modified');
        world.check(bad.length === 0, `sources not ok: ${bad.map((m) => `${m.source.id} ${states.get(m.source.id)?.lastError ?? ''}`).join('; ')}`);
      }),
  };
}

/** The process faults. */
export const processFaults: FaultScenario[] = [
  killMidCycle('kill-mid-cycle-early', 4),
  killMidCycle('kill-mid-cycle-late', 7),
  duplicateDelivery('sqs-duplicate-in-one-event', 'every record twice in one fetcher event (same and new message ids)', 'same-event', 2),
  duplicateDelivery('sqs-duplicate-concurrent', 'the same event to two fetcher invocations at once', 'concurrent', 2, true),
  duplicateDelivery('sqs-triplicate-concurrent', 'the same event to three fetcher invocations at once', 'concurrent', 3),
  duplicateDelivery('sqs-redelivery-after-success', 'the same event again after it was processed', 'sequential', 2),
];
