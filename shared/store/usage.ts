/**
 * Request accounting: counts every DynamoDB and S3 call a client makes, with the rows written and
 * read by batch calls, so a cycle can report its storage cost (the local runner and the benchmark).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';

/** Counts of storage calls and rows. */
export interface StorageUsage {
  /** Calls by command name, e.g. { PutItemCommand: 3, BatchWriteItemCommand: 1 }. */
  calls: Record<string, number>;
  /** DynamoDB rows written (each put, each row of a batch write, each update). */
  ddbRowsWritten: number;
  /** DynamoDB rows asked for by reads (each get, each key of a batch get; a query counts once). */
  ddbRowsRead: number;
  /** Of ddbRowsRead, the rows read eventually consistent (half the read units). */
  ddbRowsReadEventual: number;
  s3Puts: number;
  s3PutBytes: number;
  /** Of s3PutBytes, the bytes put under raw/ (kept for months; everything else is overwritten derived data). */
  s3PutRawBytes: number;
  s3Gets: number;
}

/** A zeroed usage record. */
export function emptyUsage(): StorageUsage {
  return { calls: {}, ddbRowsWritten: 0, ddbRowsRead: 0, ddbRowsReadEventual: 0, s3Puts: 0, s3PutBytes: 0, s3PutRawBytes: 0, s3Gets: 0 };
}

type Input = Record<string, unknown>;

function countRows(command: string, input: Input, usage: StorageUsage): void {
  switch (command) {
    case 'PutItemCommand':
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      usage.ddbRowsWritten++;
      break;
    case 'BatchWriteItemCommand':
      for (const rows of Object.values((input.RequestItems ?? {}) as Record<string, unknown[]>)) usage.ddbRowsWritten += rows.length;
      break;
    case 'GetItemCommand':
    case 'QueryCommand':
      usage.ddbRowsRead++;
      if (input.ConsistentRead !== true) usage.ddbRowsReadEventual++;
      break;
    case 'BatchGetItemCommand':
      for (const req of Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[]; ConsistentRead?: boolean }>)) {
        usage.ddbRowsRead += req.Keys?.length ?? 0;
        if (req.ConsistentRead !== true) usage.ddbRowsReadEventual += req.Keys?.length ?? 0;
      }
      break;
    case 'PutObjectCommand': {
      usage.s3Puts++;
      const body = input.Body;
      const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.byteLength : 0;
      usage.s3PutBytes += bytes;
      if (typeof input.Key === 'string' && input.Key.startsWith('raw/')) usage.s3PutRawBytes += bytes;
      break;
    }
    case 'GetObjectCommand':
      usage.s3Gets++;
      break;
  }
}

/** Adds a counting middleware to the clients; every call they make from now on is added to `usage`. */
export function trackUsage(clients: { dynamo: DynamoDBClient; s3: S3Client }, usage: StorageUsage): void {
  for (const client of [clients.dynamo, clients.s3] as const) {
    (client.middlewareStack as { add: (mw: unknown, options: unknown) => void }).add(
      (next: (args: { input: Input }) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: Input }) => {
        const name = context.commandName ?? 'unknown';
        usage.calls[name] = (usage.calls[name] ?? 0) + 1;
        countRows(name, args.input, usage);
        return next(args);
      },
      { step: 'initialize', name: 'tributaryUsage' },
    );
  }
}
