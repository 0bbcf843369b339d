/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of dynalite or s3rver. Each request is buffered
 * and handed to a decision function, which may forward it (optionally rewriting the request body and
 * the response), or answer in the proxy's name (throttling, 5xx). Headers go through unchanged (S3
 * signatures cover the Host header), except Content-Length, and x-amz-crc32 on rewritten DynamoDB responses.
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

/** One request as the proxy saw it. */
export interface ProxiedRequest {
  /** 1-based sequence number over the proxy's life. */
  n: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A response the proxy sends itself. */
export interface ProxyAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What to do with a request. */
export type ProxyDecision =
  | { kind: 'forward' }
  | { kind: 'answer'; answer: ProxyAnswer }
  | { kind: 'rewrite'; body: Buffer; response: (answer: ProxyAnswer) => ProxyAnswer };

/** A running proxy. */
export interface FaultProxy {
  url: string;
  /** Where requests go (set once the target has started). */
  target: string;
  /** While false, every request is forwarded untouched. */
  active: boolean;
  /** Requests seen, and how many were answered or rewritten by the proxy. */
  stats: { requests: number; injected: number };
  close(): Promise<void>;
}

function forward(target: string, req: ProxiedRequest, body: Buffer): Promise<ProxyAnswer> {
  const url = new URL(req.path, target);
  return new Promise((resolve, reject) => {
    const out = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers: { ...req.headers, 'content-length': String(body.length) } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && k !== 'transfer-encoding' && k !== 'connection') headers[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 502, headers, body: Buffer.concat(parts) });
        });
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

/** Starts a proxy to `target` (may be set later) that applies `decide` to every request while active. */
export async function startFaultProxy(target: string, decide: (req: ProxiedRequest) => ProxyDecision): Promise<FaultProxy> {
  let n = 0;
  const proxy: FaultProxy = { url: '', target, active: true, stats: { requests: 0, injected: 0 }, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const seen: ProxiedRequest = { n: ++n, method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(parts) };
      proxy.stats.requests++;
      const decision: ProxyDecision = proxy.active ? decide(seen) : { kind: 'forward' };
      if (decision.kind !== 'forward') proxy.stats.injected++;
      const answer =
        decision.kind === 'answer'
          ? Promise.resolve(decision.answer)
          : decision.kind === 'rewrite'
            ? forward(proxy.target, seen, decision.body).then(decision.response)
            : forward(proxy.target, seen, seen.body);
      answer.then(
        (a) => res.writeHead(a.status, { ...a.headers, 'content-length': String(a.body.length) }).end(a.body),
        () => res.writeHead(502).end(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

/** A DynamoDB JSON answer (with the x-amz-crc32 the SDK may check). */
export function dynamoAnswer(status: number, payload: unknown): ProxyAnswer {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `chaos-${Date.now()}`, 'x-amz-crc32': String(crc32(body)) },
    body,
  };
}

/** An S3 XML error answer. */
export function s3ErrorAnswer(status: number, code: string): ProxyAnswer {
  const body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>chaos: injected ${code}</Message><RequestId>chaos</RequestId></Error>`, 'utf8');
  return { status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'chaos' }, body };
}

/** The DynamoDB operation of a request ("BatchWriteItem"), from its X-Amz-Target header. */
export function dynamoOperation(req: ProxiedRequest): string {
  const target = req.headers['x-amz-target'];
  return (Array.isArray(target) ? target[0] : target)?.split('.').pop() ?? '';
}
