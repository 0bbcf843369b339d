/** AWS SDK clients for DynamoDB, S3 and SQS, pointed at local servers when the config names endpoints. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '../config';

/** The three clients the store modules use. */
export interface AwsClients {
  dynamo: DynamoDBClient;
  s3: S3Client;
  sqs: SQSClient;
}

/** Static credentials for local servers: s3rver only accepts its built-in S3RVER key pair; dynalite and DynamoDB Local accept anything. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** Attempts per SDK call; the SDK's standard retry mode backs off on throttling and 5xx. */
const MAX_ATTEMPTS = 5;

/** Creates the clients: local endpoints with dummy credentials when set, the default AWS chain otherwise. */
export function createClients(config: Config): AwsClients {
  const dynamo = new DynamoDBClient({
    region: config.region,
    maxAttempts: MAX_ATTEMPTS,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
  const s3 = new S3Client({
    region: config.region,
    maxAttempts: MAX_ATTEMPTS,
    // Without these the SDK sends stream bodies with aws-chunked framing, which s3rver stores verbatim.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(config.s3Endpoint
      ? { endpoint: config.s3Endpoint, forcePathStyle: true, credentials: LOCAL_CREDENTIALS }
      : {}),
  });
  const sqs = new SQSClient({ region: config.region, maxAttempts: MAX_ATTEMPTS });
  return { dynamo, s3, sqs };
}

/** Closes the clients' connection pools (tests and the local runner call it before exiting). */
export function destroyClients(clients: AwsClients): void {
  clients.dynamo.destroy();
  clients.s3.destroy();
  clients.sqs.destroy();
}
