/**
 * `npm run chaos [-- --json] [-- --only <text>] [-- --fast]`: runs every fault scenario against the
 * real local stack, one after another (the local dispatcher is process-wide), prints the table and the
 * problems, and with --json ends with one JSON summary line. Exits 1 when anything was lost,
 * duplicated, crashed or reached, or an expectation failed.
 */
import { installNetworkSandbox } from './sandbox';
import { closeFetchAgents } from '../shared/fetch';
import { allFaults } from './suite';
import { allClean, formatNotes, formatProblems, formatTable, summaryLine } from './report';
import type { FaultRow } from './scenario';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const sandbox = installNetworkSandbox();
  const json = process.argv.includes('--json');
  const only = option('--only');
  const fast = process.argv.includes('--fast');
  const scenarios = allFaults().filter((s) => (!only || s.name.includes(only)) && (!fast || s.fast));
  const rows: FaultRow[] = [];
  for (const scenario of scenarios) {
    const row = await scenario.run();
    rows.push(row);
    const flags = [row.lost && `lost ${row.lost}`, row.duplicated && `dup ${row.duplicated}`, row.crashed && `crashed ${row.crashed}`, row.ssrfReached && `ssrf ${row.ssrfReached}`, row.problems.length && `${row.problems.length} problems`].filter(Boolean);
    process.stderr.write(`${row.fault.padEnd(34)} ${(row.wallMs / 1000).toFixed(1).padStart(5)} s  ${flags.length ? flags.join(', ') : 'ok'}\n`);
  }
  await closeFetchAgents();
  const out = [...formatTable(rows)];
  const notes = formatNotes(rows);
  if (notes.length > 0) out.push('', 'notes:', ...notes);
  const problems = formatProblems(rows);
  if (problems.length > 0) out.push('', 'problems:', ...problems);
  if (sandbox.blocked.length > 0) out.push('', `network sandbox refused ${sandbox.blocked.length} connections to non-loopback targets`);
  if (json) out.push(summaryLine(rows));
  process.stdout.write(`${out.join('\n')}\n`);
  return allClean(rows) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`chaos: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
