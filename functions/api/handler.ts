/** API: the read-only HTTP API behind a Lambda function URL (same router as the local server), and the CDN's origin for `/sources/*`. */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { PUBLIC_URL_HEADER, publicUrlFromHeader } from '../../shared/api/cdn';
import { handleApiRequest } from '../../shared/api/router';
import { ENV } from '../../shared/config';
import { runtimeFromEnv, type Runtime } from '../../shared/runtime';

/**
 * The public base URL of a request: the one the CDN names in its header; else, when no public URL
 * is configured (the stack gives the API none unless one is set: see shared/api/cdn.ts), the
 * function URL the request was sent to; else undefined (the configured URL applies).
 */
function publicUrlOf(event: LambdaFunctionURLEvent): string | undefined {
  const fromCdn = publicUrlFromHeader(event.headers?.[PUBLIC_URL_HEADER]);
  if (fromCdn !== undefined) return fromCdn;
  const domain = event.requestContext.domainName;
  return process.env[ENV.publicUrl] === undefined && domain ? `https://${domain}` : undefined;
}

/** Builds the API handler over a runtime (the default reads the environment). */
export function createApiHandler(getRuntime: () => Runtime = runtimeFromEnv) {
  return async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
    const http = event?.requestContext?.http;
    if (!http || typeof event.rawPath !== 'string') {
      return { statusCode: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"not a function URL request"}\n' };
    }
    const query = new URLSearchParams(event.rawQueryString ?? '');
    const publicUrl = publicUrlOf(event);
    const res = await handleApiRequest(
      { method: http.method, path: event.rawPath, query, headers: event.headers ?? {}, ...(publicUrl !== undefined ? { publicUrl } : {}) },
      getRuntime(),
    );
    const binary = typeof res.body !== 'string';
    return {
      statusCode: res.status,
      headers: res.headers,
      body: binary ? Buffer.from(res.body).toString('base64') : (res.body as string),
      isBase64Encoded: binary,
    };
  };
}

/** The Lambda entry point. */
export const handler = createApiHandler();
