/** Formatting of the benchmark report: aligned text tables and the target verdicts. */
import type { CycleFigures, PhaseFigures } from './cycles';

/** A named phase row of the cycle table; pipeline rows carry storage figures. */
export interface PhaseRow {
  name: string;
  figures: PhaseFigures | CycleFigures;
  /** The Tributary cycle of the same phase, for the wall-time ratio. */
  reference?: PhaseFigures;
}

/** One target and whether it was met. */
export interface Verdict {
  target: string;
  measured: string;
  met: boolean;
}

/** A number with a fixed count of decimals, or "-" when not finite. */
export function num(value: number | undefined, decimals = 0): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Lays rows out as a table with a header and right-aligned columns (the first left-aligned). */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function isCycle(f: PhaseFigures | CycleFigures): f is CycleFigures {
  return 'ddbWrites' in f;
}

/** The per-phase table: wall, items, requests, 304s, bytes, storage work (rows and consumed units), peak RSS, CPU of this process and of the store process, ratio to Tributary. */
export function phaseTable(rows: PhaseRow[]): string[] {
  const header = ['phase', 'wall s', 'items', 'items/s', 'requests', '304s', 'MB sent', 'DDB wr', 'DDB WRU', 'DDB rd', 'DDB RRU', 'S3 PUT', 'S3 MB', 'peak RSS MB', 'CPU s', 'store CPU s', 'wall ÷ Tributary'];
  return table(
    header,
    rows.map(({ name, figures: f, reference }) => {
      const c = isCycle(f) ? f : undefined;
      return [
        name,
        num(f.wallS, 2),
        num(f.items),
        num(f.itemsPerS),
        num(f.requests),
        num(f.notModified),
        num(f.bytes / 1048576, 1),
        num(c?.ddbWrites),
        num(c?.ddbWru, 1),
        num(c?.ddbReads),
        num(c?.ddbRru, 1),
        num(c?.s3Puts),
        c ? num(c.s3PutBytes / 1048576, 1) : '-',
        num(f.peakRssMB),
        num(f.cpuS, 1),
        num(c?.storeCpuS, 1),
        reference ? num(f.wallS / reference.wallS, 2) : '',
      ];
    }),
  );
}

/** The verdict lines. */
export function verdictLines(verdicts: Verdict[]): string[] {
  return table(['target', 'measured', 'met'], verdicts.map((v) => [v.target, v.measured, v.met ? 'MET' : 'MISSED']));
}
