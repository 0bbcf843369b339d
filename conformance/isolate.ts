/**
 * Per-task isolation with a deadline: each task runs in a worker thread; a task that does not answer in
 * time (a synchronous infinite loop included) is reported as a hang and its worker is terminated and
 * replaced, and a worker that dies mid-task is reported as a crash. A worker posts `{ready: true}` once
 * loaded (the clock of a task starts only then, so start-up cost is not charged to the file) and answers
 * `{id, ok, value|error}`.
 */
import { Worker } from 'node:worker_threads';

/** How an isolated task ended. */
export type IsolatedOutcome<O> =
  | { kind: 'done'; value: O; ms: number }
  | { kind: 'error'; message: string; ms: number }
  | { kind: 'hang'; ms: number }
  | { kind: 'crash'; message: string; ms: number };

/** Options of an {@link IsolatedPool}. */
export interface IsolatedPoolOptions {
  /** Per-task time limit. */
  timeoutMs: number;
  /** Worker threads running at once. */
  size: number;
  /** Node flags for the workers (default: the parent's, so `--import tsx` carries over). */
  execArgv?: string[];
}

/** How long a fresh worker may take to load before it counts as crashed. */
const STARTUP_LIMIT_MS = 60_000;

interface WorkerReply {
  ready?: boolean;
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

interface Pending<I> {
  id: number;
  task: I;
  resolve: (outcome: IsolatedOutcome<unknown>) => void;
}

/** Source of an eval'd worker that registers tsx and then imports the TypeScript worker module. */
function tsBootstrap(url: URL): string {
  const api = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
}

/** One worker thread running one task at a time. */
class Slot<I> {
  private worker: Worker | undefined;
  private ready = false;
  private current: { pending: Pending<I>; timer: NodeJS.Timeout; started: number } | undefined;

  constructor(private readonly url: URL, private readonly options: IsolatedPoolOptions, private readonly onIdle: () => void) {}

  get busy(): boolean {
    return this.current !== undefined;
  }

  private spawn(): Worker {
    const options = this.options.execArgv ? { execArgv: this.options.execArgv } : {};
    // A TypeScript worker needs tsx's loader registered inside the worker thread before it is imported.
    const worker = this.url.pathname.endsWith('.ts')
      ? new Worker(tsBootstrap(this.url), { ...options, eval: true })
      : new Worker(this.url, options);
    worker.unref();
    this.ready = false;
    worker.on('message', (reply: WorkerReply) => {
      if (reply.ready) {
        this.ready = true;
        if (this.current) this.dispatch(worker);
        return;
      }
      const cur = this.current;
      if (!cur || reply.id !== cur.pending.id) return;
      const ms = Date.now() - cur.started;
      this.finish(reply.ok ? { kind: 'done', value: reply.value, ms } : { kind: 'error', message: reply.error ?? 'error', ms });
    });
    const died = (message: string): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const cur = this.current;
      if (cur) this.finish({ kind: 'crash', message, ms: Date.now() - cur.started });
    };
    worker.on('error', (err) => died(err instanceof Error ? `${err.name}: ${err.message}` : String(err)));
    worker.on('exit', (code) => died(`worker exited with code ${code}`));
    return worker;
  }

  private finish(outcome: IsolatedOutcome<unknown>): void {
    const cur = this.current;
    if (!cur) return;
    clearTimeout(cur.timer);
    this.current = undefined;
    cur.pending.resolve(outcome);
    this.onIdle();
  }

  run(pending: Pending<I>): void {
    this.worker ??= this.spawn();
    const worker = this.worker;
    if (this.ready) {
      this.current = { pending, timer: setTimeout(() => undefined, 0), started: Date.now() };
      this.dispatch(worker);
      return;
    }
    // Not loaded yet: the task waits for {ready}, within the start-up limit.
    const timer = setTimeout(() => {
      this.worker = undefined;
      void worker.terminate();
      const cur = this.current;
      if (cur) this.finish({ kind: 'crash', message: `worker did not start within ${STARTUP_LIMIT_MS} ms`, ms: Date.now() - cur.started });
    }, STARTUP_LIMIT_MS);
    this.current = { pending, timer, started: Date.now() };
  }

  /** Sends the current task and starts its clock. */
  private dispatch(worker: Worker): void {
    const cur = this.current;
    if (!cur) return;
    clearTimeout(cur.timer);
    cur.started = Date.now();
    cur.timer = setTimeout(() => {
      this.worker = undefined; // its exit event must not be reported as a crash of the next task
      void worker.terminate();
      this.finish({ kind: 'hang', ms: Date.now() - cur.started });
    }, this.options.timeoutMs);
    worker.postMessage({ id: cur.pending.id, task: cur.pending.task });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}

/** A pool of worker threads that runs tasks with a per-task deadline. */
export class IsolatedPool<I, O> {
  private readonly slots: Slot<I>[];
  private readonly queue: Pending<I>[] = [];
  private nextId = 1;

  constructor(workerUrl: URL, options: IsolatedPoolOptions) {
    const size = Math.max(1, Math.floor(options.size));
    this.slots = Array.from({ length: size }, () => new Slot<I>(workerUrl, options, () => this.pump()));
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.busy) slot.run(this.queue.shift()!);
    }
  }

  /** Runs one task; never rejects. */
  run(task: I): Promise<IsolatedOutcome<O>> {
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, task, resolve: resolve as Pending<I>['resolve'] });
      this.pump();
    });
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.close()));
  }
}
