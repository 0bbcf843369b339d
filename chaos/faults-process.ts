/**
 * Process faults: a cycle's process SIGKILLed part-way (then re-run in a new process on the same
 * persisted stores), and the same fetch job delivered more than once — its sources twice in one
 * job, to concurrent fetcher invocations, and again after it was processed (as Lambda's
 * at-least-once asynchronous delivery may).
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
import { invokeFetcher, scheduleAll, sourcesOf } from './handlers';
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

/** The same job delivered `copies` times, concurrently (separate invocations), one after another, or its sources repeated within one job. */
function duplicateDelivery(name: string, how: string, mode: 'same-event' | 'concurrent' | 'sequential', copies: number, fast = false): FaultScenario {
  return {
    name,
    group: 'process',
    how,
    ...(fast ? { fast: true } : {}),
    run: () =>
      inWorld(name, 'process', { goodSources: 4, entriesPerSource: 5 }, async (world) => {
        const jobs = await scheduleAll(world);
        const entries = sourcesOf(jobs);
        const job = { ...(jobs[0] ?? { sources: [] }), sources: entries };
        if (mode === 'same-event') {
          // Every source listed `copies` times in one job: processed once each.
          const result = await invokeFetcher(world, { ...job, sources: Array.from({ length: copies }, () => entries).flat() });
          world.check(result?.outcomes.length === entries.length, `one job with duplicates gave ${result?.outcomes.length} outcomes for ${entries.length} sources`);
        } else if (mode === 'concurrent') {
          await Promise.all(Array.from({ length: copies }, () => invokeFetcher(world, job)));
        } else {
          // A redelivery after success carries the states read before the first run: stale by then.
          for (let c = 0; c < copies; c++) await invokeFetcher(world, job);
        }
        const states = await world.stack.runtime.states.getStates(entries.map((e) => e.source.id));
        const bad = entries.filter((e) => states.get(e.source.id)?.status !== 'ok' && states.get(e.source.id)?.status !== 'not-modified');
        world.check(bad.length === 0, `sources not ok: ${bad.map((e) => `${e.source.id} ${states.get(e.source.id)?.lastError ?? ''}`).join('; ')}`);
      }),
  };
}

/** The process faults. */
export const processFaults: FaultScenario[] = [
  killMidCycle('kill-mid-cycle-early', 4),
  killMidCycle('kill-mid-cycle-late', 7),
  duplicateDelivery('job-duplicate-sources', 'every source twice in one fetch job', 'same-event', 2),
  duplicateDelivery('job-duplicate-concurrent', 'the same job to two fetcher invocations at once', 'concurrent', 2, true),
  duplicateDelivery('job-triplicate-concurrent', 'the same job to three fetcher invocations at once', 'concurrent', 3),
  duplicateDelivery('job-redelivery-after-success', 'the same job (with the states it carried) again after it was processed', 'sequential', 2),
];
