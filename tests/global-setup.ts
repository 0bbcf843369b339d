/** Vitest global setup: one in-memory dynalite + s3rver for the whole run; test files get the endpoints through `inject`. */
import type { TestProject } from 'vitest/node';
import { startLocalStores } from '../shared/store/local-stack';

/** Starts the local stores once and provides their endpoints; the returned teardown stops them. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stores = await startLocalStores();
  project.provide('dynamoEndpoint', stores.dynamoEndpoint);
  project.provide('s3Endpoint', stores.s3Endpoint);
  return async () => {
    await stores.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}
