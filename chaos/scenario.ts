/** The shapes of the chaos suite: a fault scenario and the row it reports. */

/** Which layer a fault hits. */
export type FaultGroup = 'feed' | 'ssrf' | 'storage' | 'process';

/** One row of the report: what a fault did to the items and the handlers. */
export interface FaultRow {
  fault: string;
  group: FaultGroup;
  /** Handler invocations and cycles run (each can crash). */
  runs: number;
  /** Entries the good sources (and a recovering faulty source) carried. */
  expected: number;
  /** Expected entries found stored. */
  stored: number;
  lost: number;
  duplicated: number;
  /** Handlers or cycles that threw instead of returning, and processes that died unexpectedly. */
  crashed: number;
  /** Connections that reached a target the SSRF guard should have blocked. */
  ssrfReached: number;
  /** Expectations that did not hold (isolation, state visibility, …); empty when all held. */
  problems: string[];
  /** Informational lines (what the fault did), printed under the table. */
  notes?: string[];
  wallMs: number;
}

/** A fault to inject and measure. */
export interface FaultScenario {
  name: string;
  group: FaultGroup;
  /** One-line description of how the fault is simulated. */
  how: string;
  /** Part of the fast subset that `npm test` runs. */
  fast?: boolean;
  run(): Promise<FaultRow>;
}

/** Totals over every row (the `--json` summary line). */
export interface ChaosSummary {
  faults: number;
  runs: number;
  lost: number;
  duplicated: number;
  crashed: number;
  ssrfReached: number;
}

/** Adds up the rows. */
export function summarise(rows: FaultRow[]): ChaosSummary {
  const sum = (pick: (r: FaultRow) => number) => rows.reduce((n, r) => n + pick(r), 0);
  return {
    faults: rows.length,
    runs: sum((r) => r.runs),
    lost: sum((r) => r.lost),
    duplicated: sum((r) => r.duplicated),
    crashed: sum((r) => r.crashed),
    ssrfReached: sum((r) => r.ssrfReached),
  };
}
