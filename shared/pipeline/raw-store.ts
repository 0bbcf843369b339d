/**
 * Where a fetch batch keeps its raw feed bodies. Each body is its own gzip member; the bodies that
 * arrive within a window of each other go out as one object (a multi-member gzip file, so the
 * whole object still gunzips), and each body is found again by its byte range. A fetcher invocation
 * whose changed feeds arrive within the window then makes one PUT instead of one per feed: S3 PUTs
 * were the largest request cost after DynamoDB writes. A body that arrives alone is stored as before,
 * under its own per-source key. A failed PUT fails every body of it (each fetch then fails and is retried).
 * Once the batch says every fetch is done (allArrived), nothing waits for the window any more, so
 * the batch's last ingest starts as soon as its body is in.
 *
 * The window is long enough to span a job's fetches on real networks (100 sources in flight at once,
 * from a few hundred ms to seconds each), so its changed bodies share a PUT there as they do
 * on loopback; waiting costs an ingest little, as it parses and looks its entries up meanwhile and
 * only its writes wait. A batch goes out early at RAW_BATCH_MAX_BYTES, so a job of many changed
 * feeds (a first fetch) neither holds its bodies in memory nor waits for all of them to write, and
 * once it holds `maxBodies` (the bodies a job reads at once: no other can arrive before one of these
 * is stored and its ingest gives its body slot back).
 */
import { sha256Hex } from '../ids';
import type { BlobStore } from '../store/ports';

/** Where one raw body is: an object, or a byte range of one. */
export interface RawLocation {
  key: string;
  range?: { offset: number; length: number };
}

/** Stores one raw (gzip) body and says where it went; `allArrived`, when there, is told that no more bodies will come. */
export type RawStore = ((sourceId: string, bodyHash: string, gzip: Uint8Array) => Promise<RawLocation>) & { allArrived?: () => void };

/** Milliseconds a batch waits after its first body for others to join it (unless every fetch is over first). */
export const RAW_BATCH_WINDOW_MS = 2_000;
/** Bytes beyond which a batch goes out at once. */
export const RAW_BATCH_MAX_BYTES = 1024 * 1024;

/** The blob key of a raw feed body stored on its own: per source, addressed by content. */
export function rawFeedKey(sourceId: string, bodyHash: string): string {
  return `raw/feeds/${sourceId}/${bodyHash}.gz`;
}

/** The blob key of a batch of raw bodies, addressed by content under its UTC day (a retried batch writes the same key). */
export function rawBatchKey(body: Uint8Array, now: Date): string {
  return `raw/batches/${now.toISOString().slice(0, 10)}/${sha256Hex(body).slice(0, 32)}.gz`;
}

/** Stores every body on its own (one PUT each). */
export function singleRawStore(blobs: BlobStore): RawStore {
  return async (sourceId, bodyHash, gzip) => {
    const key = rawFeedKey(sourceId, bodyHash);
    await blobs.put(key, gzip, { contentType: 'application/gzip' });
    return { key };
  };
}

interface Pending {
  sourceId: string;
  bodyHash: string;
  gzip: Uint8Array;
  resolve: (location: RawLocation) => void;
  reject: (err: unknown) => void;
}

/** Stores bodies in shared objects: those arriving within `windowMs` of the first (or until `maxBytes`) share one PUT. */
export function batchedRawStore(blobs: BlobStore, options: { windowMs?: number; maxBytes?: number; maxBodies?: number; now?: () => Date } = {}): RawStore {
  const windowMs = options.windowMs ?? RAW_BATCH_WINDOW_MS;
  const maxBytes = options.maxBytes ?? RAW_BATCH_MAX_BYTES;
  const maxBodies = options.maxBodies ?? Infinity;
  const single = singleRawStore(blobs);
  let pending: Pending[] = [];
  let bytes = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let arrived = false;
  let immediate: ReturnType<typeof setImmediate> | undefined;

  const write = async (group: Pending[]): Promise<RawLocation[]> => {
    if (group.length === 1) {
      const [only] = group as [Pending];
      return [await single(only.sourceId, only.bodyHash, only.gzip)];
    }
    const body = Buffer.concat(group.map((p) => p.gzip));
    const key = rawBatchKey(body, options.now?.() ?? new Date());
    await blobs.put(key, body, { contentType: 'application/gzip' });
    let offset = 0;
    return group.map((p) => {
      const range = { offset, length: p.gzip.byteLength };
      offset += p.gzip.byteLength;
      return { key, range };
    });
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = undefined;
    immediate = undefined;
    if (pending.length === 0) return;
    const group = pending;
    pending = [];
    bytes = 0;
    write(group).then(
      (locations) => group.forEach((p, i) => p.resolve(locations[i] as RawLocation)),
      (err: unknown) => group.forEach((p) => p.reject(err)),
    );
  };

  // After every fetch is done, a body goes out once the current turn ends (a body stored in the same turn joins it).
  const soon = () => {
    immediate ??= setImmediate(flush);
  };
  const store = (sourceId: string, bodyHash: string, gzip: Uint8Array) =>
    new Promise<RawLocation>((resolve, reject) => {
      pending.push({ sourceId, bodyHash, gzip, resolve, reject });
      bytes += gzip.byteLength;
      if (bytes >= maxBytes || pending.length >= maxBodies) flush();
      else if (arrived) soon();
      else timer ??= setTimeout(flush, windowMs);
    });
  return Object.assign(store, {
    allArrived: () => {
      arrived = true;
      soon();
    },
  });
}
