import { afterEach, describe, expect, it } from 'vitest';
import { IsolatedPool } from '../../conformance/isolate';

const WORKER = new URL('./fixtures/spin-worker.mjs', import.meta.url);

describe('IsolatedPool per-file time limit', () => {
  let pool: IsolatedPool<string, string> | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('returns the worker answer', async () => {
    pool = new IsolatedPool(WORKER, { timeoutMs: 2_000, size: 1, execArgv: [] });
    const out = await pool.run('a');
    expect(out.kind).toBe('done');
    expect(out.kind === 'done' && out.value).toBe('echo:a');
  });

  it('reports a task that never finishes as a hang and keeps serving later tasks', async () => {
    pool = new IsolatedPool(WORKER, { timeoutMs: 300, size: 1, execArgv: [] });
    const started = Date.now();
    const hang = await pool.run('spin');
    expect(hang.kind).toBe('hang');
    expect(Date.now() - started).toBeLessThan(5_000);
    const next = await pool.run('b');
    expect(next.kind === 'done' && next.value).toBe('echo:b');
  });

  it('reports a worker that dies mid-task as a crash, and an error answer as an error', async () => {
    pool = new IsolatedPool(WORKER, { timeoutMs: 2_000, size: 2, execArgv: [] });
    const [died, failed, fine] = await Promise.all([pool.run('die'), pool.run('throw'), pool.run('c')]);
    expect(died.kind).toBe('crash');
    expect(failed.kind).toBe('error');
    expect(fine.kind === 'done' && fine.value).toBe('echo:c');
  });
});
