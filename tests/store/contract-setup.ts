/** The factory the store contract suites run against, and helpers shared by them. */
import { afterEach } from 'vitest';
import type { Config } from '../../shared/config';
import type { Item } from '../../shared/model';
import type { ItemRepository, NewestQuery } from '../../shared/store/ports';
import { destroyClients } from '../../shared/store/clients';
import type { TestStores } from '../helpers/stores';

/** Fresh stores (own table and bucket) plus the Config they were made from. */
export type ContractStores = TestStores & { config: Config };

/** Makes fresh stores for one test. */
export type StoresFactory = (overrides?: Partial<Config>) => Promise<ContractStores>;

/** Wraps a factory so every test's clients are destroyed after it. */
export function trackedFactory(factory: StoresFactory): StoresFactory {
  const open: ContractStores[] = [];
  afterEach(() => {
    for (const stores of open.splice(0)) destroyClients(stores.clients);
  });
  return async (overrides) => {
    const stores = await factory(overrides);
    open.push(stores);
    return stores;
  };
}

/** Every page of `newest` for a query, following cursors; the pages' sizes are returned too. */
export async function readAllPages(
  items: ItemRepository,
  query: NewestQuery,
): Promise<{ items: Item[]; pageSizes: number[] }> {
  const all: Item[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1_000; page++) {
    const result = await items.newest({ ...query, cursor });
    all.push(...result.items);
    pageSizes.push(result.items.length);
    cursor = result.cursor;
    if (!cursor) return { items: all, pageSizes };
  }
  throw new Error('newest never stopped returning a cursor');
}

/** The ids of items, in order. */
export const idsOf = (items: Item[]): string[] => items.map((item) => item.id);

/** Records the DynamoDB commands a client sends and the item counts of their Query answers. */
export function recordCommands(stores: ContractStores): { commands: string[]; queriedItems: () => number; reset(): void } {
  const commands: string[] = [];
  let queried = 0;
  stores.clients.dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(context.commandName ?? 'unknown');
      const result = await next(args);
      const output = result.output as { ScannedCount?: number };
      if (context.commandName === 'QueryCommand') queried += output.ScannedCount ?? 0;
      return result;
    },
    { step: 'initialize', name: 'tributaryCommandRecorder' },
  );
  return {
    commands,
    queriedItems: () => queried,
    reset() {
      commands.length = 0;
      queried = 0;
    },
  };
}
