/**
 * Row sizes of the local table (a Scan — the benchmark's own, never the pipeline's), for the report:
 * DynamoDB sizes an item as the sum of its attribute names and values. The cost model prices the
 * capacity units the cycles consumed (shared/store/usage.ts), not these means.
 */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Config } from '../shared/config';
import { createClients, destroyClients } from '../shared/store/clients';
import { indexWriteUnits, rowSize, valueSize } from '../shared/store/usage';

/** Mean sizes and units of the rows, by kind. */
export interface RowSizes {
  rows: number;
  /** Per pk prefix (ITEM, KEY, SOURCES, …): rows, mean bytes, mean WRU (1 KB units, rounded up per row). */
  kinds: Record<string, { rows: number; meanBytes: number; meanWru: number }>;
  /** Mean write units per row written, its index copies included (gsi1 keys only, gsi2 keys and the item id). */
  wruPerRow: number;
  /** Mean strongly consistent read units per row (4 KB units, rounded up per row). */
  rruPerRow: number;
}

const MAX_PAGES = 100_000;

/** Row and attribute value sizes, as the usage accounting computes them. */
export { rowSize, valueSize };

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
        // A write to a row an index holds also writes the index's copy (its projected attributes).
        a.wru += wru + indexWriteUnits(row);
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
