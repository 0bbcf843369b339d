/**
 * One local cycle in its own process, on a persisted data folder — the victim of the kill-mid-cycle
 * fault. Usage: node --import tsx chaos/child-cycle.ts <dataDir> <sourcesFile> <allowHost>.
 * Prints one JSON line with the cycle's summary and exits 0.
 */
import { installNetworkSandbox } from './sandbox';
import { runCycle } from '../cli/local/cycle';
import { startLocalStack } from '../cli/local/stack';
import type { FetchSettings } from '../shared/config';
import { closeFetchAgents } from '../shared/fetch';
import { CHAOS_FETCH } from './world';

async function main(): Promise<void> {
  installNetworkSandbox();
  const [dataDir, sourcesFile, allowHost] = process.argv.slice(2);
  if (!dataDir || !sourcesFile || !allowHost) throw new Error('usage: child-cycle.ts <dataDir> <sourcesFile> <allowHost>');
  const stack = await startLocalStack({ dataDir, allowHosts: [allowHost], overrides: { fetch: CHAOS_FETCH as FetchSettings } });
  try {
    const summary = await runCycle(stack.runtime, sourcesFile, true);
    process.stdout.write(`${JSON.stringify({ ok: summary.ok, failed: summary.failed, itemsNew: summary.itemsNew, failures: summary.failures })}\n`);
  } finally {
    await closeFetchAgents();
    await stack.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`child-cycle: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
