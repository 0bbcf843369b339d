/**
 * The shapes that flow between Tributary's stages:
 * Source → FetchResult → DecodedText → ParsedFeed → ItemDraft → Item.
 * Every stage takes and returns these plain values; none of them holds an SDK client.
 */

/** A feed Tributary follows, as listed in the sources OPML file. */
export interface Source {
  /** Stable, URL-safe id chosen by the user (OPML attribute `tributaryId`, else derived from the URL). */
  id: string;
  /** The feed URL (OPML `xmlUrl`). */
  url: string;
  /** Human title (OPML `title`/`text`). */
  title: string;
  /** Tags from the OPML `category` attribute and enclosing folder outlines. */
  tags: string[];
  /** The site's home page (OPML `htmlUrl`), when known. */
  siteUrl?: string;
  /** Article capture (OPML `tributary:capture`): fetch each new item's page always, only for short feed text, or never (default). */
  capture?: CaptureMode;
}

/** When to fetch a new item's web page and extract its article text. */
export type CaptureMode = 'off' | 'always' | 'short';

/** Feed syntaxes the parser recognises, named after feedparser's `version` values. */
export type FeedFormat =
  | 'rss090' | 'rss091' | 'rss092' | 'rss093' | 'rss094' | 'rss20' | 'rss10'
  | 'atom03' | 'atom10' | 'json1';

/** A text construct exactly as the feed gave it, before sanitising. */
export interface ParsedText {
  /** The raw value: plain text for `text`, markup for `html` and `xhtml` (inner XHTML serialised). */
  value: string;
  /** How `value` is to be read. RSS descriptions are `html`. */
  type: 'text' | 'html' | 'xhtml';
  /** Absolute xml:base (or document URL) in scope, for resolving relative URLs in the markup. */
  base?: string;
  /** xml:lang in scope. */
  lang?: string;
}

/** A link element (Atom `link`, RSS `link`, JSON Feed `url`). `href` is absolute where it could be resolved. */
export interface ParsedLink {
  href: string;
  rel?: string;
  type?: string;
  title?: string;
  length?: number;
  hreflang?: string;
}

/** An author or contributor. */
export interface ParsedPerson {
  name?: string;
  email?: string;
  url?: string;
}

/** A category or tag. */
export interface ParsedCategory {
  term: string;
  scheme?: string;
  label?: string;
}

/** A media attachment (RSS enclosure, Atom rel=enclosure, media:content, JSON Feed attachment). */
export interface ParsedEnclosure {
  url: string;
  type?: string;
  length?: number;
  title?: string;
  durationS?: number;
}

/** One entry as the feed gave it: raw strings, URLs resolved against xml:base, dates unparsed. */
export interface ParsedEntry {
  /** RSS guid / Atom id / JSON Feed id, trimmed. */
  id?: string;
  /** RSS `guid isPermaLink`; undefined when the attribute is absent. */
  guidIsPermaLink?: boolean;
  title?: ParsedText;
  /** The entry's main link: Atom rel=alternate (first), RSS link, JSON url; absolute where resolvable. */
  link?: string;
  links: ParsedLink[];
  summary?: ParsedText;
  content?: ParsedText;
  /** Raw date strings exactly as found. */
  published?: string;
  updated?: string;
  authors: ParsedPerson[];
  categories: ParsedCategory[];
  enclosures: ParsedEnclosure[];
  /** A thumbnail image (media:thumbnail, JSON image), absolute. */
  image?: string;
  /** Effective base URL for the entry. */
  base?: string;
  /** xml:lang in scope for the entry (or JSON Feed language). */
  lang?: string;
  /** Atom `source` / RSS `source` the entry says it came from. */
  origin?: { title?: string; url?: string; id?: string };
  /** RSS `comments` URL. */
  comments?: string;
}

/** A parsed feed. `bozo` is true when the document was not well-formed but something was recovered. */
export interface ParsedFeed {
  format: FeedFormat;
  title?: ParsedText;
  subtitle?: ParsedText;
  /** The site link (Atom rel=alternate, RSS channel link, JSON home_page_url). */
  link?: string;
  links: ParsedLink[];
  id?: string;
  lang?: string;
  base?: string;
  updated?: string;
  authors: ParsedPerson[];
  rights?: ParsedText;
  image?: string;
  /** RSS `<ttl>` in minutes. */
  ttlMinutes?: number;
  /** WebSub hub advertised by the feed. */
  hub?: string;
  entries: ParsedEntry[];
  bozo: boolean;
  bozoReason?: string;
}

/** A person in a normalised item. */
export interface Person {
  name?: string;
  email?: string;
  url?: string;
}

/** An attachment in a normalised item. */
export interface Enclosure {
  url: string;
  type?: string;
  length?: number;
  title?: string;
  durationS?: number;
}

/**
 * Where an item's raw (pre-sanitising) HTML is: entry `entry` (0-based, in document order) of the raw
 * feed body stored gzip at `key`, decoded with `contentType`'s charset when the fetch had one. The
 * body holds the HTML verbatim, so it is not stored twice; pipeline/raw-html.ts reads it back.
 */
export interface RawRef {
  key: string;
  /** The body's byte range in the object, when the object is a batch of bodies (pipeline/raw-store.ts). */
  range?: { offset: number; length: number };
  entry: number;
  contentType?: string;
}

/** One entry after normalising, before identity and storage: what one source said about it. */
export interface ItemDraft {
  /** The source that carried it. */
  sourceId: string;
  /** The entry's guid/id when the feed gave one. */
  guid?: string;
  /** Canonical link: absolute, tracking parameters removed, fragment dropped. */
  url?: string;
  /** Plain-text title ("" when the feed gave none and none could be derived). */
  title: string;
  /** Sanitised HTML and its plain text. */
  summaryHtml?: string;
  summaryText?: string;
  contentHtml?: string;
  contentText?: string;
  authors: Person[];
  categories: string[];
  enclosures: Enclosure[];
  image?: string;
  /** UTC ISO 8601 (`2026-11-27T13:51:02.000Z`), clamped to the fetch time when in the future. */
  published?: string;
  updated?: string;
  /** BCP 47 language tag, lower-case primary subtag, when known. */
  lang?: string;
  /** The raw HTML the feed gave for this entry (content, else summary), kept in the blob store. */
  rawHtml?: string;
  /** Hash of the fields a reader sees: a change of it means the item changed. */
  contentHash: string;
}

/** A stored item: one story as Tributary keeps it, possibly carried by several sources. */
export interface Item extends Omit<ItemDraft, 'rawHtml'> {
  /** Stable id (26 lower-case base32 chars) derived from the item's canonical link, else its first identity key (dedupe/identity.ts). */
  id: string;
  /** Every source that carried this item, in arrival order; `sourceId` is the first. */
  sourceIds: string[];
  /** The date the item sorts by: published, else updated, else first seen. */
  sortDate: string;
  /** When Tributary first stored it, and when it last changed. */
  firstSeenAt: string;
  changedAt: string;
  /** Pointer to the raw HTML, when the feed gave any. */
  rawRef?: RawRef;
  /** The story (cluster of near-duplicate items across sources) this item belongs to: the id of the story's first item. */
  storyId?: string;
  /** The captured web page of the item (gzipped HTML in the blob store), when its source captures pages. */
  pageRef?: { key: string };
  /** Article text extracted from the captured page (capped), used for story clustering. */
  articleText?: string;
}

/** Per-source state that survives between cycles. */
export interface SourceState {
  sourceId: string;
  /** The URL to fetch now: differs from the OPML URL after a permanent redirect. */
  url?: string;
  /** The OPML URL this state belongs to; when the user edits the URL, redirect, validators and 'gone' reset. */
  configuredUrl?: string;
  etag?: string;
  lastModified?: string;
  /** 'ok' | 'not-modified' | 'error' | 'gone'. */
  status?: 'ok' | 'not-modified' | 'error' | 'gone';
  lastError?: string;
  lastStatusCode?: number;
  consecutiveFailures: number;
  lastFetchAt?: string;
  lastSuccessAt?: string;
  nextFetchAt?: string;
  /** sha256 of the last feed body, so an unchanged body without validators is not re-parsed. */
  lastBodyHash?: string;
  /** Blob key of the last raw feed body. */
  lastRawKey?: string;
  /** The body's byte range in that object, when it is a batch of bodies (pipeline/raw-store.ts). */
  lastRawRange?: { offset: number; length: number };
  /** Fingerprints (entry key → content hash, shortened) of the entries seen in the last body, packed (dedupe/seen.ts). Stored in their own row: set after an ingest (putState stores them), absent in states as read (StateRepository.getSeen reads them). */
  seen?: string;
  itemsSeen: number;
  /** The feed's own title, for display when the OPML has none. */
  feedTitle?: string;
  /** New and merged items per UTC day of arrival (`YYYY-MM-DD` → count), the status page's last 14 days. */
  itemsPerDay?: Record<string, number>;
  /** Change marker of the source's feed: bumped (never set) each time an ingest changed the source's item list. */
  feedVersion?: number;
  /** When the state was last stored; set by the state repository on every putState, never by callers. */
  writtenAt?: string;
}

/** What one source's processing did in a cycle. */
export interface SourceOutcome {
  sourceId: string;
  status: 'ok' | 'not-modified' | 'unchanged' | 'error' | 'gone' | 'skipped';
  itemsInFeed: number;
  itemsNew: number;
  itemsUpdated: number;
  itemsMerged: number;
  bytes: number;
  error?: string;
  /** True when retrying the same message later may succeed. */
  retryable?: boolean;
}
