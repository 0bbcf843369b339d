/** `tributary run --once` and `tributary serve` (npm start): the pipeline on the embedded stores. */
import { loadLocalSettings } from '../../shared/config';
import { describeError } from '../../shared/errors';
import { allowHostsFrom, parseCommand, UsageError } from '../args';
import { formatCycle, runCycle } from '../local/cycle';
import { startSampleServer } from '../local/samples';
import { startApiServer } from '../local/server';
import { startLocalStack } from '../local/stack';

/** Help text of `run`. */
export const RUN_HELP = `Usage: tributary run --once [--sources FILE] [--data DIR] [--json] [--allow-host HOST[:PORT]]

Runs one full cycle (scheduler → fetcher → publisher, every source fetched) on the embedded
stores and exits 0 when the cycle ran; failed sources are reported, not fatal.
  --once                  required: one cycle, then exit
  --sources FILE          sources OPML (default sources/sources.opml)
  --data DIR              embedded stores folder (default .data)
  --allow-host HOST:PORT  let the fetch guard reach this private/loopback host (repeatable)
  --no-samples            do not serve the shipped sample feeds on 127.0.0.1:8079
  --json                  end with one JSON line of the cycle's counts
`;

/** Help text of `serve`. */
export const SERVE_HELP = `Usage: tributary serve [--sources FILE] [--data DIR] [--allow-host HOST[:PORT]]

Starts the embedded stores, serves the sample feeds on 127.0.0.1:$TRIBUTARY_SAMPLES_PORT (8079),
runs a cycle now and every $TRIBUTARY_CYCLE_SECONDS (60) seconds, and serves the API and feeds on
http://localhost:$PORT (8080): /feed.xml /feed.atom /feed.json, /tags/<tag>.xml|atom|json,
/sources/<id>.xml|atom|json, /status (the status page), /items /sources. Ctrl-C stops it.
`;

const RUN_OPTIONS = { once: { type: 'boolean' }, 'no-samples': { type: 'boolean' } } as const;

async function setUp(argv: string[], print: (line: string) => void) {
  const settings = loadLocalSettings();
  const { values } = parseCommand(argv, RUN_OPTIONS);
  const samples = values['no-samples'] ? undefined : await startSampleServer(settings.samplesPort);
  const sampleHost = `127.0.0.1:${settings.samplesPort}`;
  if (!values['no-samples'] && !samples) print(`note: port ${settings.samplesPort} is taken; assuming another Tributary serves the samples there`);
  const allowHosts = [...allowHostsFrom(values['allow-host']), ...(values['no-samples'] ? [] : [sampleHost])];
  const stack = await startLocalStack({ dataDir: values.data ?? settings.dataDir, allowHosts, publicUrl: `http://localhost:${settings.port}` });
  const close = async () => {
    await stack.close();
    await samples?.close();
  };
  return { values, settings, stack, close, sourcesFile: values.sources ?? settings.sourcesFile };
}

/** Runs one cycle and returns the lines to print. */
export async function runCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const { values } = parseCommand(argv, RUN_OPTIONS);
  if (values.help) return print(RUN_HELP);
  if (!values.once) throw new UsageError('run needs --once (use "tributary serve" to run cycles on a schedule)');
  const { stack, close, sourcesFile } = await setUp(argv, print);
  try {
    const summary = await runCycle(stack.runtime, sourcesFile, true, stack.usage);
    for (const line of formatCycle(summary)) print(line);
    if (values.json) print(JSON.stringify(summary));
  } finally {
    await close();
  }
}

/** Serves the API and runs cycles until interrupted. */
export async function serveCommand(argv: string[], print: (line: string) => void): Promise<void> {
  const { values } = parseCommand(argv, RUN_OPTIONS);
  if (values.help) return print(SERVE_HELP);
  const { stack, close, settings, sourcesFile } = await setUp(argv, print);
  const api = await startApiServer(stack.runtime, settings.port).catch(async (err) => {
    await close();
    throw err;
  });
  print(`Tributary is serving ${api.url}/feed.xml  ${api.url}/feed.atom  ${api.url}/feed.json  ${api.url}/items  ${api.url}/status`);
  print(`sources: ${sourcesFile}; data: ${stack.config.dynamoEndpoint ? (values.data ?? settings.dataDir) : '-'}; a cycle every ${settings.cycleSeconds} s`);
  let running = false;
  const cycle = async () => {
    if (running) return;
    running = true;
    try {
      for (const line of formatCycle(await runCycle(stack.runtime, sourcesFile, false, stack.usage))) print(line);
    } catch (err) {
      print(`cycle failed: ${describeError(err)}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(cycle, settings.cycleSeconds * 1000);
  await cycle();
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearInterval(timer);
  await api.close();
  await close();
}
