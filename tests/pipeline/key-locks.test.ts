import { describe, expect, it } from 'vitest';
import { KeyLocks } from '../../shared/pipeline/key-locks';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('KeyLocks', () => {
  it('holds a second holder of a shared key until the first releases, lets disjoint keys through, and forgets released keys', async () => {
    const locks = new KeyLocks();
    const order: string[] = [];
    const releaseA = await locks.acquire(['u:x', 'u:y']);
    const b = locks.acquire(['u:y']).then((release) => (order.push('b'), release));
    const c = locks.acquire(['u:z']).then((release) => (order.push('c'), release));
    await tick();
    expect(order).toEqual(['c']);
    releaseA();
    (await b)();
    (await c)();
    expect(order).toEqual(['c', 'b']);
    expect(locks.size).toBe(0);
  });

  it('never deadlocks two holders taking overlapping keys in different orders', async () => {
    const locks = new KeyLocks();
    const hold = async (keys: string[]) => {
      const release = await locks.acquire(keys);
      await tick();
      release();
    };
    await Promise.all([hold(['a', 'b', 'c']), hold(['c', 'b', 'a']), hold(['b']), hold(['c', 'a'])]);
    expect(locks.size).toBe(0);
  });
});
