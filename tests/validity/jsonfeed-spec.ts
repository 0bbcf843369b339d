/**
 * A checker of JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): every required field present
 * and every known field of the right type; unknown keys must be extensions (`_name`).
 */

type Json = unknown;
type Check = (value: Json) => boolean;

const isString: Check = (v) => typeof v === 'string';
const isNonEmptyString: Check = (v) => typeof v === 'string' && v.trim() !== '';
const isUrl: Check = (v) => {
  if (typeof v !== 'string') return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
};
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isDate: Check = (v) => typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v));
const isBoolean: Check = (v) => typeof v === 'boolean';
const isNonNegative: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

const AUTHOR: Record<string, Check> = { name: isString, url: isUrl, avatar: isUrl };
const HUB: Record<string, Check> = { type: isNonEmptyString, url: isUrl };
const ATTACHMENT: Record<string, Check> = {
  url: isUrl, mime_type: isNonEmptyString, title: isString, size_in_bytes: isNonNegative, duration_in_seconds: isNonNegative,
};

function checkObject(value: Json, where: string, fields: Record<string, Check>, required: string[], problems: string[]): value is Record<string, Json> {
  if (!isObject(value)) {
    problems.push(`${where} is not an object`);
    return false;
  }
  for (const name of required) if (!(name in value)) problems.push(`${where}.${name} is required`);
  for (const [name, v] of Object.entries(value)) {
    if (name.startsWith('_')) continue;
    const check = fields[name];
    if (!check) problems.push(`${where}.${name} is not a JSON Feed 1.1 field (extensions start with "_")`);
    else if (!check(v)) problems.push(`${where}.${name} has the wrong type or format: ${JSON.stringify(v)?.slice(0, 80)}`);
  }
  return true;
}

function checkList(value: Json, where: string, fields: Record<string, Check>, required: string[], problems: string[]): void {
  if (!Array.isArray(value)) return void problems.push(`${where} is not an array`);
  if (value.length === 0) problems.push(`${where} is empty (leave it out instead)`);
  value.forEach((v, i) => checkObject(v, `${where}[${i}]`, fields, required, problems));
}

const ITEM_FIELDS: Record<string, Check> = {
  id: isNonEmptyString, url: isUrl, external_url: isUrl, title: isString, content_html: isString, content_text: isString,
  summary: isString, image: isUrl, banner_image: isUrl, date_published: isDate, date_modified: isDate, language: isNonEmptyString,
  tags: (v) => Array.isArray(v) && v.every(isString),
  authors: () => true, attachments: () => true,
};

const FEED_FIELDS: Record<string, Check> = {
  version: (v) => v === 'https://jsonfeed.org/version/1.1', title: isNonEmptyString, home_page_url: isUrl, feed_url: isUrl,
  description: isString, user_comment: isString, next_url: isUrl, icon: isUrl, favicon: isUrl, language: isNonEmptyString,
  expired: isBoolean, authors: () => true, hubs: () => true, items: (v) => Array.isArray(v),
};

/** Every way the document departs from JSON Feed 1.1 ([] when it conforms). */
export function jsonFeedProblems(doc: Json): string[] {
  const problems: string[] = [];
  if (!checkObject(doc, 'feed', FEED_FIELDS, ['version', 'title', 'items'], problems)) return problems;
  if (doc.authors !== undefined) checkList(doc.authors, 'feed.authors', AUTHOR, [], problems);
  if (doc.hubs !== undefined) checkList(doc.hubs, 'feed.hubs', HUB, ['type', 'url'], problems);
  const items = Array.isArray(doc.items) ? doc.items : [];
  const ids = new Set<string>();
  items.forEach((item, i) => {
    const where = `items[${i}]`;
    if (!checkObject(item, where, ITEM_FIELDS, ['id'], problems)) return;
    if (typeof item.id === 'string') {
      if (ids.has(item.id)) problems.push(`${where}.id ${item.id} repeats`);
      ids.add(item.id);
    }
    if (item.content_html === undefined && item.content_text === undefined) problems.push(`${where} has neither content_html nor content_text`);
    if (item.authors !== undefined) checkList(item.authors, `${where}.authors`, AUTHOR, [], problems);
    if (item.attachments !== undefined) checkList(item.attachments, `${where}.attachments`, ATTACHMENT, ['url', 'mime_type'], problems);
    if (Array.isArray(item.authors)) item.authors.forEach((a, j) => isObject(a) && a.name === undefined && a.url === undefined && a.avatar === undefined && problems.push(`${where}.authors[${j}] has no name, url or avatar`));
  });
  return problems;
}
