/**
 * Row sizes of the local table (a Scan — the benchmark's own, never the pipeline's), for the cost
 * model's write and read units: DynamoDB sizes an item as the sum of its attribute names and values.
 */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Config } from '../shared/config';
import { createClients, destroyClients } from '../shared/store/clients';

/** Mean sizes and units of the rows, by kind. */
export interface RowSizes {
  rows: number;
  /** Per pk prefix (ITEM, KEY, SOURCES, …): rows, mean bytes, mean WRU (1 KB units, rounded up per row). */
  kinds: Record<string, { rows: number; meanBytes: number; meanWru: number }>;
  /** Mean write units per row written, its index copies included (gsi1 projects whole items, gsi2 a key and the id). */
  wruPerRow: number;
  /** Mean strongly consistent read units per row (4 KB units, rounded up per row). */
  rruPerRow: number;
}

const MAX_PAGES = 100_000;

/** DynamoDB's size of an attribute value in bytes (numbers approximated by their digits). */
export function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.length / 2) + 1;
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (v.NS) return v.NS.reduce((n, s) => n + s.length, 0);
  if (v.L) return 3 + v.L.reduce((n, x) => n + 1 + valueSize(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + valueSize(x), 0);
  return 0;
}

/** A row's size: names plus values. */
export function rowSize(row: Record<string, AttributeValue>): number {
  return Object.entries(row).reduce((n, [k, v]) => n + Buffer.byteLength(k) + valueSize(v), 0);
}

/** Scans the table and measures its rows. */
export async function measureRowSizes(config: Config): Promise<RowSizes> {
  const clients = createClients(config);
  const acc = new Map<string, { rows: number; bytes: number; wru: number; rru: number }>();
  try {
    let startKey: Record<string, AttributeValue> | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out = await clients.dynamo.send(new ScanCommand({ TableName: config.tableName, ExclusiveStartKey: startKey }));
      for (const row of out.Items ?? []) {
        const kind = (row.pk?.S ?? '?').split('#')[0] ?? '?';
        const size = rowSize(row);
        const a = acc.get(kind) ?? { rows: 0, bytes: 0, wru: 0, rru: 0 };
        a.rows++;
        a.bytes += size;
        const wru = Math.max(1, Math.ceil(size / 1024));
        // A write to a row an index holds also writes the index's copy: whole (gsi1, projection ALL) or small (gsi2).
        a.wru += wru + (row.gsi1pk ? wru : 0) + (row.gsi2pk ? 1 : 0);
        a.rru += Math.max(1, Math.ceil(size / 4096));
        acc.set(kind, a);
      }
      startKey = out.LastEvaluatedKey;
      if (!startKey) break;
    }
  } finally {
    destroyClients(clients);
  }
  const kinds: RowSizes['kinds'] = {};
  let rows = 0;
  let rru = 0;
  let wru = 0;
  for (const [kind, a] of acc) {
    kinds[kind] = { rows: a.rows, meanBytes: a.bytes / a.rows, meanWru: a.wru / a.rows };
    rows += a.rows;
    rru += a.rru;
    wru += a.wru;
  }
  return { rows, kinds, wruPerRow: rows ? wru / rows : 1, rruPerRow: rows ? rru / rows : 1 };
}
