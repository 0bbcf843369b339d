/** AWS SDK clients for DynamoDB and S3, pointed at local servers when the config names endpoints (the fetcher dispatch makes its own Lambda client). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config';

/** The clients the store modules use. */
export interface AwsClients {
  dynamo: DynamoDBClient;
  s3: S3Client;
}

/** Static credentials for local servers: s3rver only accepts its built-in S3RVER key pair; dynalite and DynamoDB Local accept anything. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** Attempts per SDK call; the SDK's standard retry mode backs off on throttling and 5xx. */
const MAX_ATTEMPTS = 5;

/**
 * Creates the clients: local endpoints with dummy credentials when set, the default AWS chain otherwise.
 * Both resolve their middleware stack once per command class (`cacheMiddleware`) instead of on every
 * call: ~10% of a steady cycle's CPU. Calls of one class then share one handler context, into which
 * the SDK writes each call's endpoint and auth scheme: the same for every call of these clients (one
 * region, one table, one bucket, one set of credentials). No call passes per-call options (they
 * bypass the cache). Middleware added after a call must call forgetResolvedMiddleware.
 */
export function createClients(config: Config): AwsClients {
  const dynamo = new DynamoDBClient({
    region: config.region,
    maxAttempts: MAX_ATTEMPTS,
    cacheMiddleware: true,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
  const s3 = new S3Client({
    region: config.region,
    maxAttempts: MAX_ATTEMPTS,
    cacheMiddleware: true,
    // Without these the SDK sends stream bodies with aws-chunked framing, which s3rver stores verbatim.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(config.s3Endpoint
      ? { endpoint: config.s3Endpoint, forcePathStyle: true, credentials: LOCAL_CREDENTIALS }
      : {}),
  });
  return { dynamo, s3 };
}

/** Makes a client resolve its middleware stack again on its next call, so that middleware added after calls were made applies (the SDK keeps the stacks it resolved, per command class, in `handlers`). */
export function forgetResolvedMiddleware(client: DynamoDBClient | S3Client): void {
  delete (client as unknown as { handlers?: unknown }).handlers;
}

/** Closes the clients' connection pools (tests and the local runner call it before exiting). */
export function destroyClients(clients: AwsClients): void {
  clients.dynamo.destroy();
  clients.s3.destroy();
}
