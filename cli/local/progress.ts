/** A one-line progress bar on stderr, drawn only when stderr is a terminal (never in pipes, logs or tests). */

/** A progress bar: `tick` after each unit of work, `done` to clear the line. */
export interface ProgressBar {
  tick(label: string): void;
  done(): void;
}

const WIDTH = 24;

/** A progress bar over `total` units on `stream` (default stderr); a no-op when the stream is not a TTY. */
export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY || total <= 0) return { tick: () => undefined, done: () => undefined };
  let count = 0;
  return {
    tick(label: string) {
      count = Math.min(count + 1, total);
      const filled = Math.round((count / total) * WIDTH);
      const line = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${count}/${total} ${label}`;
      stream.write(`\r${line.slice(0, (stream.columns || 80) - 1)}\u001b[K`);
    },
    done() {
      stream.write('\r\u001b[K');
    },
  };
}
