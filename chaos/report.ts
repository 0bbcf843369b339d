/** The chaos report: one table row per fault, the problems found, and the one-line JSON summary. */
import { summarise, type FaultRow } from './scenario';

const COLUMNS = ['fault', 'group', 'runs', 'expected', 'stored', 'lost', 'duplicated', 'crashed', 'ssrfReached', 'problems', 'ms'] as const;

function cells(row: FaultRow): string[] {
  return [row.fault, row.group, row.runs, row.expected, row.stored, row.lost, row.duplicated, row.crashed, row.ssrfReached, row.problems.length, row.wallMs].map(String);
}

/** The table as lines of aligned columns, with a totals line. */
export function formatTable(rows: FaultRow[]): string[] {
  const total = summarise(rows);
  const totals = ['TOTAL', `${rows.length} faults`, total.runs, rows.reduce((n, r) => n + r.expected, 0), rows.reduce((n, r) => n + r.stored, 0), total.lost, total.duplicated, total.crashed, total.ssrfReached, rows.reduce((n, r) => n + r.problems.length, 0), rows.reduce((n, r) => n + r.wallMs, 0)].map(String);
  const table = [[...COLUMNS] as string[], ...rows.map(cells), totals];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(table[0] ?? []), rule, ...table.slice(1, -1).map(line), rule, line(totals)];
}

/** One line per problem, prefixed by its fault. */
export function formatProblems(rows: FaultRow[]): string[] {
  return rows.flatMap((r) => r.problems.map((p) => `  ${r.fault}: ${p}`));
}

/** One line per informational note, prefixed by its fault. */
export function formatNotes(rows: FaultRow[]): string[] {
  return rows.flatMap((r) => (r.notes ?? []).map((n) => `  ${r.fault}: ${n}`));
}

/** The single JSON line `--json` ends with. */
export function summaryLine(rows: FaultRow[]): string {
  return JSON.stringify(summarise(rows));
}

/** True when nothing was lost, duplicated, crashed or reached, and every expectation held. */
export function allClean(rows: FaultRow[]): boolean {
  const s = summarise(rows);
  return s.lost + s.duplicated + s.crashed + s.ssrfReached === 0 && rows.every((r) => r.problems.length === 0);
}
