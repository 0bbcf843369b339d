/** S3BlobStore: the BlobStore port on S3 (raw feed bodies, which hold the raw item HTML, published feeds, story objects, the sources file). */
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { StoreError } from '../errors';
import type { BlobPutOptions, BlobStore } from './ports';

/** Keys per DeleteObjects call (S3's limit). */
const DELETE_BATCH = 1000;
/** Upper bound on the pages one listing reads (1000 keys per page). */
const MAX_LIST_PAGES = 10_000;

function isMissing(err: unknown): boolean {
  const name = (err as Error).name;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}

/** The BlobStore port on one S3 bucket. */
export class S3BlobStore implements BlobStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Writes an object, replacing any previous one. */
  async put(key: string, body: Uint8Array | string, options: BlobPutOptions = {}): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          ContentEncoding: options.contentEncoding,
          CacheControl: options.cacheControl,
        }),
      );
    } catch (err) {
      throw this.failure('put', key, err);
    }
  }

  /** The object's bytes, or `length` bytes from `offset`; undefined when there is no such key. */
  async get(key: string, range?: { offset: number; length: number }): Promise<Uint8Array | undefined> {
    if (range && (!Number.isInteger(range.offset) || !Number.isInteger(range.length) || range.offset < 0 || range.length < 0)) {
      throw new StoreError(`S3 get ${key} failed: invalid range ${range.offset}+${range.length}`);
    }
    if (range?.length === 0) return (await this.exists(key)) ? new Uint8Array(0) : undefined;
    const got = await this.getObject(key, range ? { Range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : {});
    return got === 'unchanged' ? undefined : got?.bytes;
  }

  /** The object with its ETag, or 'unchanged' when S3 answers 304 to If-None-Match `etag`; undefined when there is no such key. */
  async getIfChanged(key: string, etag: string | undefined): Promise<{ bytes: Uint8Array; etag?: string } | 'unchanged' | undefined> {
    return this.getObject(key, etag ? { IfNoneMatch: etag } : {});
  }

  /** One GetObject with the given range or condition: the bytes and ETag, 'unchanged' on a 304, undefined when there is no such key. */
  private async getObject(key: string, extra: { Range?: string; IfNoneMatch?: string }): Promise<{ bytes: Uint8Array; etag?: string } | 'unchanged' | undefined> {
    try {
      const output = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...extra }));
      const bytes = output.Body ? await output.Body.transformToByteArray() : new Uint8Array(0);
      return { bytes, ...(output.ETag ? { etag: output.ETag } : {}) };
    } catch (err) {
      if (extra.IfNoneMatch && (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 304) return 'unchanged';
      if (isMissing(err)) return undefined;
      throw this.failure('get', key, err);
    }
  }

  /** Every key under `prefix`, in S3's (lexicographic) order. */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      let output;
      try {
        output = await this.s3.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        );
      } catch (err) {
        throw this.failure('list', prefix, err);
      }
      for (const entry of output.Contents ?? []) if (entry.Key !== undefined) keys.push(entry.Key);
      token = output.IsTruncated ? output.NextContinuationToken : undefined;
      if (!token) return keys;
    }
    throw new StoreError(`S3 list ${prefix} failed: more than ${MAX_LIST_PAGES} pages`);
  }

  /** Deletes the keys (absent keys are fine), 1000 per call; throws StoreError naming the first key that failed. */
  async delete(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const chunk = keys.slice(i, i + DELETE_BATCH);
      let output;
      try {
        output = await this.s3.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }));
      } catch (err) {
        throw this.failure('delete', chunk[0] ?? '', err);
      }
      const failed = output.Errors?.[0];
      if (failed) throw new StoreError(`S3 delete ${failed.Key} failed: ${failed.Code ?? ''} ${failed.Message ?? ''}`.trim());
    }
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw this.failure('head', key, err);
    }
  }

  private failure(operation: string, key: string, err: unknown): StoreError {
    return new StoreError(`S3 ${operation} ${key} failed: ${(err as Error).message}`, { cause: err });
  }
}
