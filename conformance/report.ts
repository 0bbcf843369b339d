/** Tallies per suite and the printed report: the table, skip reasons, failures grouped by cause, JSON line. */

/** One failed check: a short cause (the grouping key) and a line identifying the row and what differed. */
export interface Failure {
  cause: string;
  example: string;
}

/** The tally of one suite. */
export interface SuiteResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  /** Target pass rate (0–1) from the issue, for the report only. */
  target: number;
  failures: Failure[];
  /** Skipped checks by reason. */
  skips: Map<string, number>;
  /** Extra lines printed under the suite (e.g. crash/hang counts, throughput). */
  notes: string[];
  /** Suite-specific figures for the JSON line (e.g. extraction and clustering precision/recall/F1). */
  extra?: object;
}

/** A fresh, empty tally. */
export function newSuite(name: string, target: number): SuiteResult {
  return { name, passed: 0, failed: 0, skipped: 0, target, failures: [], skips: new Map(), notes: [] };
}

/** Records a passed check. */
export function pass(suite: SuiteResult): void {
  suite.passed += 1;
}

/** Records a failed check with its cause and an example line. */
export function fail(suite: SuiteResult, cause: string, example: string): void {
  suite.failed += 1;
  suite.failures.push({ cause, example });
}

/** Records a skipped check and why. */
export function skip(suite: SuiteResult, reason: string): void {
  suite.skipped += 1;
  suite.skips.set(reason, (suite.skips.get(reason) ?? 0) + 1);
}

/** passed / (passed + failed), or 1 when nothing was compared. */
export function rateOf(suite: SuiteResult): number {
  const compared = suite.passed + suite.failed;
  return compared === 0 ? 1 : suite.passed / compared;
}

function pct(r: number): string {
  return `${(r * 100).toFixed(2)}%`;
}

/** The per-suite table. */
export function formatTable(suites: readonly SuiteResult[]): string {
  const header = ['suite', 'passed', 'failed', 'skipped', 'rate', 'target', 'met'];
  const rows = suites.map((s) => [
    s.name, String(s.passed), String(s.failed), String(s.skipped), pct(rateOf(s)), pct(s.target),
    rateOf(s) >= s.target ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Failures of a suite grouped by cause, largest groups first, with up to `examples` example lines each. */
export function groupFailures(suite: SuiteResult, examples: number): { cause: string; count: number; examples: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const f of suite.failures) {
    const list = groups.get(f.cause) ?? [];
    list.push(f.example);
    groups.set(f.cause, list);
  }
  return [...groups.entries()]
    .map(([cause, list]) => ({ cause, count: list.length, examples: list.slice(0, examples) }))
    .sort((a, b) => b.count - a.count || (a.cause < b.cause ? -1 : 1));
}

/** The detail section of one suite: notes, skip reasons, and the top `topCauses` failure causes. */
export function formatSuiteDetail(suite: SuiteResult, topCauses: number, examples: number): string {
  const lines = [`== ${suite.name}: ${suite.passed} passed, ${suite.failed} failed, ${suite.skipped} skipped (${pct(rateOf(suite))})`];
  for (const note of suite.notes) lines.push(`   ${note}`);
  if (suite.skips.size > 0) {
    lines.push('   skipped:');
    for (const [reason, n] of [...suite.skips.entries()].sort((a, b) => b[1] - a[1])) lines.push(`     ${String(n).padStart(5)}  ${reason}`);
  }
  const groups = groupFailures(suite, examples);
  if (groups.length > 0) {
    lines.push(`   worst failure causes (${Math.min(topCauses, groups.length)} of ${groups.length}):`);
    for (const g of groups.slice(0, topCauses)) {
      lines.push(`     ${String(g.count).padStart(5)}  ${g.cause}`);
      for (const e of g.examples) lines.push(`              e.g. ${e}`);
    }
  }
  return lines.join('\n');
}

/** The one-line JSON summary printed last with --json. */
export function jsonSummary(suites: readonly SuiteResult[]): string {
  const out: Record<string, Record<string, number>> = {};
  for (const s of suites) {
    const extra = Object.fromEntries(
      Object.entries(s.extra ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number').map(([k, v]) => [k, Number(v.toFixed(4))]),
    );
    out[s.name] = { passed: s.passed, failed: s.failed, skipped: s.skipped, rate: Number(rateOf(s).toFixed(4)), ...extra };
  }
  return JSON.stringify({ suites: out });
}

/** Shortens a value for an example line. */
export function brief(value: unknown, max = 90): string {
  const s = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
