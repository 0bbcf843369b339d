/**
 * A process-wide lock around story assignment: sources ingested concurrently in one process (a fetch
 * batch) assign, write items and write story rows one at a time, so the second of two items of the
 * same story always finds the first's band rows.
 */

let tail: Promise<unknown> = Promise.resolve();

/** Runs `task` once every earlier locked task has settled; its result or failure is passed through. */
export function withStoryLock<T>(task: () => Promise<T>): Promise<T> {
  const run = tail.then(task, task);
  tail = run.catch(() => undefined);
  return run;
}
