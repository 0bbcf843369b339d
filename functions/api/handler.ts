/** API: the read-only HTTP API behind a Lambda function URL (same router as the local server). */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { handleApiRequest } from '../../shared/api/router';
import { runtimeFromEnv, type Runtime } from '../../shared/runtime';

/** Builds the API handler over a runtime (the default reads the environment). */
export function createApiHandler(getRuntime: () => Runtime = runtimeFromEnv) {
  return async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
    const http = event?.requestContext?.http;
    if (!http || typeof event.rawPath !== 'string') {
      return { statusCode: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"not a function URL request"}\n' };
    }
    const query = new URLSearchParams(event.rawQueryString ?? '');
    const res = await handleApiRequest({ method: http.method, path: event.rawPath, query }, getRuntime());
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
