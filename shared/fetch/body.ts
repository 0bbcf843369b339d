/**
 * Streams a response body off the wire with its limits enforced as the bytes arrive: a cap on the
 * wire (compressed) bytes, a cap on the decompressed bytes (a gzip bomb stops at the cap), and an
 * idle timeout between wire chunks. Decompresses gzip, deflate (zlib-wrapped or raw) and br.
 */
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { BodyTooLargeError, FetchError, NetworkError, TimeoutError } from '../errors';

/** A Content-Encoding this module can undo; `identity` means none. */
export type ContentCoding = 'identity' | 'gzip' | 'deflate' | 'br';

/** Limits and framing for one body read. */
export interface BodyReadOptions {
  coding: ContentCoding;
  maxBytes: number;
  idleTimeoutMs: number;
  /** Declared Content-Length, when the response had one. */
  contentLength?: number;
  /** Aborts the read; the read rejects with the signal's reason. */
  signal: AbortSignal;
  /** Updated as wire bytes arrive, so a caller can report how far a failed read got. */
  progress: { wireBytes: number };
}

/** The decompressed body and the number of bytes that crossed the wire. */
export interface BodyReadResult {
  bytes: Uint8Array;
  wireBytes: number;
  /** The wire bytes when they were a gzip stream: a .gz of `bytes`, kept so the body is not compressed again to be stored. */
  gzip?: Uint8Array;
}

/** Maps a Content-Encoding header to a supported coding; throws `FetchError` for anything else. */
export function parseContentCoding(header: string | undefined): ContentCoding {
  const codings = (header ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c && c !== 'identity');
  if (codings.length === 0) return 'identity';
  const [only] = codings;
  if (codings.length === 1 && only !== undefined) {
    if (only === 'gzip' || only === 'x-gzip') return 'gzip';
    if (only === 'deflate' || only === 'br') return only;
  }
  throw new FetchError(`unsupported Content-Encoding "${header}"`);
}

/** True when the first two bytes are a zlib (RFC 1950) header rather than raw deflate data. */
function looksLikeZlibHeader(first: number, second: number): boolean {
  return (first & 0x0f) === 8 && (first >> 4) <= 7 && (first * 256 + second) % 31 === 0;
}

function createDecoder(coding: Exclude<ContentCoding, 'identity'>, head: Buffer): Transform {
  switch (coding) {
    case 'gzip':
      return createGunzip();
    case 'br':
      return createBrotliDecompress();
    case 'deflate':
      return looksLikeZlibHeader(head[0] ?? 0, head[1] ?? 0) ? createInflate() : createInflateRaw();
  }
}

/** Reads the whole body within the limits; rejects with a typed error or the stream's raw error. */
export function readBody(body: Readable, options: BodyReadOptions): Promise<BodyReadResult> {
  const { coding, maxBytes, idleTimeoutMs, contentLength, signal, progress } = options;
  return new Promise<BodyReadResult>((resolve, reject) => {
    const parts: Buffer[] = [];
    const wire: Buffer[] = [];
    let decodedBytes = 0;
    let wireBytes = 0;
    let decoder: Transform | undefined;
    /** Wire bytes held back until there are enough to tell zlib-wrapped from raw deflate. */
    let pending: Buffer[] = [];
    let settled = false;
    let idleTimer: NodeJS.Timeout | undefined;

    const cleanup = (): void => {
      settled = true;
      clearTimeout(idleTimer);
      signal.removeEventListener('abort', onAbort);
    };
    const fail = (err: unknown): void => {
      if (settled) return;
      cleanup();
      body.destroy();
      decoder?.destroy();
      reject(err);
    };
    const succeed = (): void => {
      if (settled) return;
      if (contentLength !== undefined && wireBytes < contentLength) {
        fail(new NetworkError(`body shorter than Content-Length (${wireBytes} of ${contentLength} bytes)`));
        return;
      }
      cleanup();
      const bytes = new Uint8Array(Buffer.concat(parts, decodedBytes));
      resolve(coding === 'gzip' && wireBytes > 0 ? { bytes, wireBytes, gzip: new Uint8Array(Buffer.concat(wire, wireBytes)) } : { bytes, wireBytes });
    };
    const collect = (chunk: Buffer): void => {
      decodedBytes += chunk.length;
      if (decodedBytes > maxBytes) {
        const after = coding === 'identity' ? '' : ` after ${coding} decompression`;
        fail(new BodyTooLargeError(`body larger than ${maxBytes} bytes${after}`));
        return;
      }
      parts.push(chunk);
    };
    const armIdleTimer = (): void => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        fail(new TimeoutError(`no body data for ${idleTimeoutMs}ms (slow response)`));
      }, idleTimeoutMs);
    };
    function onAbort(): void {
      fail(signal.reason);
    }
    const startDecoder = (codingToUndo: Exclude<ContentCoding, 'identity'>, head: Buffer): Transform => {
      const created = createDecoder(codingToUndo, head);
      created.on('data', collect);
      created.on('end', succeed);
      created.on('error', (err: Error & { code?: string }) => {
        const what = err.code === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt';
        fail(new NetworkError(`${what} ${codingToUndo} body`, { cause: err }));
      });
      return created;
    };
    const feedDecoder = (chunk: Buffer, final: boolean): void => {
      if (coding === 'identity') return;
      if (!decoder) {
        pending.push(chunk);
        const held = Buffer.concat(pending);
        if (held.length < 2 && !final) return;
        pending = [];
        decoder = startDecoder(coding, held);
        decoder.write(held);
        return;
      }
      decoder.write(chunk);
    };

    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    armIdleTimer();
    body.on('data', (chunk: Buffer) => {
      if (settled) return;
      armIdleTimer();
      wireBytes += chunk.length;
      progress.wireBytes = wireBytes;
      if (wireBytes > maxBytes) {
        fail(new BodyTooLargeError(`body larger than ${maxBytes} bytes on the wire`));
        return;
      }
      if (coding === 'identity') collect(chunk);
      else {
        if (coding === 'gzip') wire.push(chunk);
        feedDecoder(chunk, false);
      }
    });
    body.on('error', fail);
    body.on('end', () => {
      if (settled) return;
      clearTimeout(idleTimer);
      if (coding === 'identity' || wireBytes === 0) {
        succeed();
        return;
      }
      if (!decoder) feedDecoder(Buffer.alloc(0), true);
      decoder?.end();
    });
  });
}
