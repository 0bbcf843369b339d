/** AWS's DynamoDB Local (java) for one test file: started before its tests, stopped after them. */
import { afterAll, beforeAll } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../shared/store/local-stack';

/** Starts DynamoDB Local around the calling file's tests (call it at the top of a describe or file); returns its endpoint when asked. */
export function useDynamoDbLocal(): () => string {
  let server: DynamoDbLocal | undefined;
  beforeAll(async () => {
    server = await startDynamoDbLocal();
  }, 90_000);
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('DynamoDB Local did not start');
    return server.endpoint;
  };
}
