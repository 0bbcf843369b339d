/**
 * One HTTP request on the shared guarded agents (node:http / node:https, never global fetch), resolving with
 * the response as soon as its headers arrive, so the caller reads the compressed wire bytes itself. A request
 * whose reused keep-alive socket turns out to be closed by the server is retried once on a new connection
 * (not another pooled one: a server that closed one idle connection has often closed its others too).
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { FetchSettings } from '../config';
import { freshConnectionAgent, getFetchAgent } from './agent';

/** What one request sends. */
export interface SendOptions {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Request body (sent with a Content-Length). */
  body?: string;
  /** Aborts the request, and the response while it is being read. */
  signal: AbortSignal;
  settings: FetchSettings;
}

/** Codes of a keep-alive socket the server had already closed when the request was written on it. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Failures that happened on a reused socket before any response: safe to try once more on a new one. */
const staleFailures = new WeakSet<object>();

function attempt(url: URL, options: SendOptions, fresh = false): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const target = new URL(url.href);
    target.hash = '';
    const protocol = secure ? 'https:' : 'http:';
    const request = (secure ? https : http).request(target, {
      method: options.method,
      headers: options.headers,
      agent: fresh ? freshConnectionAgent(options.settings, protocol) : getFetchAgent(options.settings, protocol),
      signal: options.signal,
    });
    let responded = false;
    request.once('response', (response) => {
      responded = true;
      resolve(response);
    });
    // Stays attached for the request's whole life: later socket errors reach the response stream as well.
    request.on('error', (err: NodeJS.ErrnoException) => {
      if (responded) return;
      if (request.reusedSocket && typeof err.code === 'string' && STALE_SOCKET_CODES.has(err.code)) staleFailures.add(err);
      reject(err);
    });
    request.end(options.body);
  });
}

/** Sends the request; resolves with the response (body unread) or rejects with the raw transport error. */
export async function send(url: URL, options: SendOptions): Promise<IncomingMessage> {
  try {
    return await attempt(url, options);
  } catch (err) {
    if (typeof err !== 'object' || err === null || !staleFailures.has(err) || options.signal.aborted) throw err;
    return attempt(url, options, true);
  }
}

/**
 * Reads and drops an unwanted body so the keep-alive connection can be reused; a body longer than `limit`
 * bytes (or an abort) destroys the response, and its connection, instead. Never rejects.
 */
export function discard(response: IncomingMessage, limit: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    let seen = 0;
    const finish = (): void => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    function onAbort(): void {
      response.destroy();
      finish();
    }
    response.on('error', finish);
    response.on('end', finish);
    response.on('close', finish);
    response.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) onAbort();
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Destroys a response nobody will read; its late "aborted" error is expected and ignored. */
export function destroyQuietly(response: IncomingMessage): void {
  response.on('error', () => undefined);
  response.destroy();
}
