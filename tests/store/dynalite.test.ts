/** The store contract on dynalite (always available: started by the global setup). */
import { describe } from 'vitest';
import { createTestStores, testConfig } from '../helpers/stores';
import { itemWriteContract } from './item-contract';
import { newestContract } from './newest-contract';
import { stateContract } from './state-contract';
import { inboxContract } from './inbox-contract';
import type { StoresFactory } from './contract-setup';

const onDynalite: StoresFactory = async (overrides) => {
  const config = testConfig(overrides);
  return { config, ...(await createTestStores(config)) };
};

describe('store contract on dynalite', () => {
  itemWriteContract(onDynalite);
  newestContract(onDynalite);
  stateContract(onDynalite);
  inboxContract(onDynalite);
});
