/** Key builders and row conversions of the single-table design (see table.ts for the layout). */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../model';
import { StoreError } from '../errors';
import { idForKey } from '../ids';
import { textOfSanitisedHtml } from '../normalise/sanitised-text';

/** A DynamoDB row in wire format. */
export type Row = Record<string, AttributeValue>;

/** Partition key of an item and its membership rows. */
export const itemPk = (id: string): string => `ITEM#${id}`;
/** Sort key of an item row. */
export const ITEM_SK = 'ITEM';
/** Partition key of the alias row of an identity key. */
export const aliasPk = (key: string): string => `KEY#${idForKey(key)}`;
/** Sort key of an alias row. */
export const ALIAS_SK = 'KEY';
/** Sort key of a membership row (a source that joined an item). */
export const membershipSk = (sourceId: string): string => `SRC#${sourceId}`;
/** Partition key of the per-source index. */
export const sourcePartition = (sourceId: string): string => `SRC#${sourceId}`;
/** Key of the row listing the months that have items. */
export const BUCKETS_KEY = { pk: 'META', sk: 'BUCKETS' } as const;
/** Key of the row holding the story assigner's inbox cursor. */
export const INBOX_CURSOR_KEY = { pk: 'META', sk: 'INBOX_CURSOR' } as const;
/** Partition of source states and the prefix of their sort keys. */
export const SOURCES_PK = 'SOURCES';
/** Sort key of a source's state row. */
export const sourceStateSk = (sourceId: string): string => `SOURCE#${sourceId}`;
/** Sort key of a source's entry fingerprints (same partition, outside the states' `SOURCE#` prefix, so listing states does not read them). */
export const sourceSeenSk = (sourceId: string): string => `SEEN#${sourceId}`;
/** Partition of cycle records. */
export const CYCLES_PK = 'CYCLES';

/** Attributes the table adds to an Item; stripped before an Item leaves the store. */
const INTERNAL_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'version', 'itemId'] as const;

const MONTH = /^\d{4}-\d{2}/;

/** The yyyy-mm bucket of an ISO date; throws StoreError when the date has no such prefix (it would break the index). */
export function monthOf(isoDate: string): string {
  if (!MONTH.test(isoDate)) throw new StoreError(`sortDate "${isoDate}" is not an ISO date`);
  return isoDate.slice(0, 7);
}

/** Stable shard of an id: FNV-1a 32-bit of the id, modulo the shard count. */
export function shardOf(id: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % Math.max(1, shards);
}

/** Partition key of the newest-items index for a month and shard. */
export const newestPartition = (month: string, shard: number): string => `NEW#${month}#${shard}`;

/** Sort key shared by both indexes: sorts by sortDate, then id. */
export const indexSortKey = (sortDate: string, id: string): string => `${sortDate}#${id}`;

/** The plain-text fields the normaliser derives from a sanitised HTML field (textOfSanitisedHtml), html first. */
const DERIVED_TEXTS = [
  ['summaryHtml', 'summaryText'],
  ['contentHtml', 'contentText'],
] as const;

/**
 * The text fields as stored: a text equal to what its html derives (the normaliser's own output) is
 * omitted, since itemFromRow derives it again; a text that differs (cut to its limit, or from a plain-text
 * feed) is kept. A text absent although its html derives a non-empty one is stored as NULL, so it stays
 * absent. An empty text is kept as it is (an omitted text derives only to a non-empty one).
 */
function storedTexts(item: Item): Partial<Record<'summaryText' | 'contentText', string | null | undefined>> {
  const out: Partial<Record<'summaryText' | 'contentText', string | null | undefined>> = {};
  for (const [htmlField, textField] of DERIVED_TEXTS) {
    const html = item[htmlField];
    const text = item[textField];
    if (html === undefined) continue;
    const derived = textOfSanitisedHtml(html);
    if (text === undefined) out[textField] = derived === '' ? undefined : null;
    else if (text !== '' && text === derived) out[textField] = undefined;
  }
  return out;
}

/** The texts itemFromRow restores: derived where omitted, dropped where stored as NULL (see storedTexts). */
function restoreTexts(plain: Record<string, unknown>): void {
  for (const [htmlField, textField] of DERIVED_TEXTS) {
    const html = plain[htmlField];
    if (plain[textField] === null) delete plain[textField];
    else if (plain[textField] === undefined && typeof html === 'string') {
      const derived = textOfSanitisedHtml(html);
      if (derived !== '') plain[textField] = derived;
    }
  }
}

/** HTML fields stored deflated (as `<field>Z`, bytes) when at least this long: shorter ones gain too little. */
export const COMPRESS_HTML_FROM = 400;
const HTML_FIELDS = ['summaryHtml', 'contentHtml'] as const;

/**
 * The HTML fields as stored: a long one deflated into `<field>Z`. A row is billed per started KB
 * written; a news item's HTML (~2 KB) deflates to about a third, so a typical item row goes from
 * three write units to two, and the table stores less.
 */
function storedHtml(item: Item): Record<string, string | Uint8Array | undefined> {
  const out: Record<string, string | Uint8Array | undefined> = {};
  for (const field of HTML_FIELDS) {
    const html = item[field];
    if (html === undefined || html.length < COMPRESS_HTML_FROM) continue;
    out[field] = undefined;
    out[`${field}Z`] = deflateRawSync(Buffer.from(html, 'utf8'));
  }
  return out;
}

/** Inflates the HTML fields storedHtml deflated. */
function restoreHtml(plain: Record<string, unknown>): void {
  for (const field of HTML_FIELDS) {
    const packed = plain[`${field}Z`];
    delete plain[`${field}Z`];
    if (!(packed instanceof Uint8Array)) continue;
    try {
      plain[field] = inflateRawSync(packed).toString('utf8');
    } catch (err) {
      throw new StoreError(`the stored ${field} of item ${String(plain.id)} does not inflate`, { cause: err });
    }
  }
}

/** The full item row for `item` at `version`; texts derivable from their html are left out (see storedTexts), long html is deflated (storedHtml). */
export function itemRow(item: Item, version: number, shards: number): Row {
  const sortKey = indexSortKey(item.sortDate, item.id);
  const firstSource = item.sourceIds[0];
  const row = {
    ...item,
    ...storedTexts(item),
    ...storedHtml(item),
    pk: itemPk(item.id),
    sk: ITEM_SK,
    version,
    gsi1pk: newestPartition(monthOf(item.sortDate), shardOf(item.id, shards)),
    gsi1sk: sortKey,
    // A sparse index entry: an item without a source (never expected) is simply not listed per source.
    ...(firstSource ? { gsi2pk: sourcePartition(firstSource), gsi2sk: sortKey } : {}),
  };
  return marshall(row, { removeUndefinedValues: true });
}

/** The membership row that lists `item` under `sourceId`. */
export function membershipRow(item: Item, sourceId: string): Row {
  return marshall({
    pk: itemPk(item.id),
    sk: membershipSk(sourceId),
    itemId: item.id,
    gsi2pk: sourcePartition(sourceId),
    gsi2sk: indexSortKey(item.sortDate, item.id),
  });
}

/** The alias row pointing identity key `key` at item `itemId`. */
export function aliasRow(key: string, itemId: string): Row {
  return marshall({ pk: aliasPk(key), sk: ALIAS_SK, itemId, key });
}

/** The row of a stored item, split into the Item and its version; texts left out by itemRow are derived again. */
export function itemFromRow(row: Row): { item: Item; version: number } {
  const plain = unmarshall(row) as Record<string, unknown>;
  const version = typeof plain.version === 'number' ? plain.version : 0;
  for (const name of INTERNAL_ATTRIBUTES) delete plain[name];
  restoreHtml(plain);
  restoreTexts(plain);
  return { item: plain as unknown as Item, version };
}

/** Removes the given attributes from an unmarshalled row. */
export function withoutAttributes<T>(row: Row, names: readonly string[]): T {
  const plain = unmarshall(row) as Record<string, unknown>;
  for (const name of names) delete plain[name];
  return plain as T;
}

/** The string value of attribute `name`, if it is a string. */
export function stringAttribute(row: Row | undefined, name: string): string | undefined {
  const value = row?.[name];
  return value && 'S' in value ? value.S : undefined;
}

/** The opaque page cursor for an index sort key. */
export function encodeCursor(indexSortKeyValue: string): string {
  return Buffer.from(indexSortKeyValue, 'utf8').toString('base64url');
}

/** The index sort key inside a cursor; StoreError when the cursor was not made by encodeCursor. */
export function decodeCursor(cursor: string): string {
  const value = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!MONTH.test(value) || !value.includes('#')) throw new StoreError(`invalid page cursor "${cursor}"`);
  return value;
}
