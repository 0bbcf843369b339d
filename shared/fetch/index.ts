/** The fetch stage: guarded, limited, capped HTTP GETs of feeds and pages. */
export { fetchFeed, fetchPage, FEED_ACCEPT, PAGE_ACCEPT, ACCEPT_ENCODING } from './fetch';
export { postForm } from './post';
export { closeFetchAgents } from './agent';
export { createFetchLimiter, createSlots, type FetchLimiter, type Slots } from './limiter';
export { isAllowedHost, assertUrlAllowed } from './guard';
export { isBlockedAddress } from './ip-ranges';
export { parseRetryAfter } from './status';
export type { FetchRequest, FetchResult, FetchOkResult, FetchNotModifiedResult, FetchPageOptions } from './types';
