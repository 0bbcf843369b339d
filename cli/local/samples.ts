/** The shipped sample feeds, served on loopback so the local run works with no internet. */
import { fileURLToPath } from 'node:url';
import { loadFeedDir, startFeedServer, type FeedServer } from './feed-server';

/** Folder of the sample feeds in the repo. */
export const SAMPLES_DIR = fileURLToPath(new URL('../../samples/feeds', import.meta.url));

/** Starts the sample server on 127.0.0.1:port; undefined when the port is taken (another instance serves them). */
export async function startSampleServer(port: number): Promise<FeedServer | undefined> {
  try {
    return await startFeedServer(await loadFeedDir(SAMPLES_DIR), port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') return undefined;
    throw err;
  }
}
