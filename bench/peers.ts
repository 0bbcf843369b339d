/**
 * What a user would run instead, on the same loopback feeds: Debian's newsboat (`-x reload`, with
 * `reload-threads` at the cycle's concurrency) and rss2email (`r2e run`, mail to /bin/true). Each
 * keeps its own cache between the cold and the steady run, as it would between cron runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cycleConcurrency, measured, serverDelta, type BenchEnvironment, type PhaseFigures } from './cycles';

/** A peer reader that can run a cold and a steady pass. */
export interface Peer {
  name: string;
  /** How it was run (shown in the report). */
  setting: string;
  run(phase: 'cold' | 'steady'): Promise<PhaseFigures>;
  close(): Promise<void>;
}

/** A peer that is not installed, with the reason. */
export interface SkippedPeer {
  name: string;
  skipped: string;
}

const PEER_TIMEOUT_MS = 10 * 60_000;
const GNU_TIME = '/usr/bin/time';

function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/** Runs a command to completion (bounded by a timeout); rejects on a non-zero exit. With `rssFile`, GNU time writes the child's peak RSS (KB) there. */
function exec(command: string, args: string[], cwd: string, rssFile?: string): Promise<void> {
  const [file, argv] = rssFile && existsSync(GNU_TIME) ? [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, HOME: cwd } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), PEER_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.slice(0, 4).join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

/** Times a peer's run; its items are the entries of the bodies served with 200 (every feed has itemsPerFeed), its RSS the child's peak (NaN without GNU time). */
async function timedRun(env: BenchEnvironment, dir: string, run: (rssFile: string) => Promise<void>): Promise<PhaseFigures> {
  const rssFile = join(dir, 'maxrss');
  await rm(rssFile, { force: true });
  const timed = await measured(() => serverDelta(env.server, () => run(rssFile)));
  const fetched = timed.result.requests - timed.result.notModified;
  const items = fetched * env.workload.itemsPerFeed;
  const rssKb = existsSync(rssFile) ? Number((await readFile(rssFile, 'utf8')).trim().split('\n').pop()) : NaN;
  return { wallS: timed.wallS, items, itemsPerS: items / timed.wallS, requests: timed.result.requests, notModified: timed.result.notModified, bytes: timed.result.bytes, peakRssMB: rssKb / 1024, cpuS: NaN };
}

/** newsboat with a urls file of the loopback feeds, a temp config and cache, `-x reload`. */
async function newsboatPeer(env: BenchEnvironment): Promise<Peer> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-newsboat-'));
  const config = join(dir, 'config');
  const urls = join(dir, 'urls');
  await writeFile(urls, `${env.feedUrls.join('\n')}\n`);
  await writeFile(config, [`reload-threads ${cycleConcurrency(env.feedUrls.length)}`, 'download-timeout 30', 'max-items 0', 'show-read-feeds yes', ''].join('\n'));
  const args = ['-C', config, '-u', urls, '-c', join(dir, 'cache.db'), '-q', '-x', 'reload'];
  return {
    name: 'newsboat',
    setting: `-x reload, reload-threads ${cycleConcurrency(env.feedUrls.length)}`,
    run: () => timedRun(env, dir, (rss) => exec('newsboat', args, dir, rss)),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

/** rss2email with a temp config and data file; feeds imported from OPML; mail goes to /bin/true. */
async function rss2emailPeer(env: BenchEnvironment): Promise<Peer> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-r2e-'));
  const config = join(dir, 'r2e.cfg');
  const data = join(dir, 'r2e.json');
  const base = ['-c', config, '-d', data];
  await exec('r2e', [...base, 'new', 'you@example.invalid'], dir);
  const opml = join(dir, 'feeds.opml');
  const outlines = env.feedUrls.map((u, i) => `<outline type="rss" text="feed${i}" xmlUrl="${u}"/>`).join('\n');
  await writeFile(opml, `<?xml version="1.0"?>\n<opml version="1.0"><head><title>bench</title></head><body>\n${outlines}\n</body></opml>\n`);
  await exec('r2e', [...base, 'opmlimport', opml], dir);
  const text = await readFile(config, 'utf8');
  await writeFile(config, text.replace(/^email-protocol = .*$/m, 'email-protocol = sendmail').replace(/^sendmail = .*$/m, 'sendmail = /bin/true'));
  return {
    name: 'rss2email',
    setting: 'cold: r2e run --no-send (as its docs advise for new feeds); steady: r2e run, sendmail = /bin/true',
    run: (phase) => timedRun(env, dir, (rss) => exec('r2e', [...base, 'run', ...(phase === 'cold' ? ['--no-send'] : [])], dir, rss)),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The peers installed on this machine, set up on the environment's feeds; the others with a reason. */
export async function setUpPeers(env: BenchEnvironment): Promise<(Peer | SkippedPeer)[]> {
  const peers: (Peer | SkippedPeer)[] = [];
  peers.push(installed('newsboat') ? await newsboatPeer(env) : { name: 'newsboat', skipped: 'newsboat is not installed (apt-get install newsboat)' });
  peers.push(installed('r2e') ? await rss2emailPeer(env) : { name: 'rss2email', skipped: 'r2e is not installed (apt-get install rss2email)' });
  return peers;
}

/** True for a peer that can run. */
export function isPeer(p: Peer | SkippedPeer): p is Peer {
  return 'run' in p;
}
