/**
 * What the API and the CDN in front of it (infra/constructs/feed-cdn.ts) agree on. The CDN routes
 * `/sources/*` to the API's function URL and tells it, in a header it sets itself on every such
 * request, the public base URL the viewer used: the API function cannot be given the distribution's
 * domain in its environment, since the distribution already depends on the function's URL (a
 * CloudFormation cycle). The API uses it only for the self links of the feeds it renders.
 */

/** The request header carrying the public base URL (`https://d123.cloudfront.net`), set by the CDN. */
export const PUBLIC_URL_HEADER = 'x-tributary-public-url';

/** Seconds an on-demand feed may be cached (`cache-control: public, max-age=…`; the CDN honours it). */
export const SOURCE_FEED_MAX_AGE_SECONDS = 300;

/** The public base URL in a header value: an absolute http(s) URL without a trailing slash; undefined otherwise. */
export function publicUrlFromHeader(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 2048) return undefined;
  try {
    const url = new URL(value.trim());
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return undefined;
    return url.href.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}
