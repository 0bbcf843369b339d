/**
 * The two date spellings nearly every feed uses, read without regular expressions: RFC 822 as RFC 2822 writes
 * it (`Mon, 01 Jun 2026 12:00:00 +0000`) and RFC 3339 (`2026-06-01T12:00:00.000Z`). Each reader accepts only
 * input that the general parser in dates.ts reads into the very same fields, and gives up on anything else.
 */

/** Fields of a wall-clock reading before validation. */
export interface DateFields {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  fraction?: string;
  /** Minutes east of UTC; absent means UTC. */
  offset?: number;
}

const MONTH_ABBREVIATIONS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAY_ABBREVIATIONS = new Set(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
/** Zone names read here (the general parser knows more); minutes east of UTC. */
const UTC_NAMES: ReadonlyMap<string, number> = new Map([['gmt', 0], ['ut', 0], ['utc', 0], ['z', 0]]);

/** The value of the `count` ASCII digits at `at`, or -1 when they are not all digits. */
function digits(s: string, at: number, count: number): number {
  if (at + count > s.length) return -1;
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** True for an ASCII letter. */
function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Index after the run of ASCII digits starting at `at` (== at when there is none). */
function digitsEnd(s: string, at: number): number {
  let i = at;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i;
}

/** Minutes east of UTC for a numeric zone `+hh:mm` / `+hhmm` (with `colon`) filling `s` from `at`, else undefined. */
function numericZone(s: string, at: number, colon: boolean): number | undefined {
  const sign = s.charCodeAt(at);
  if (sign !== 43 && sign !== 45) return undefined;
  const hh = digits(s, at + 1, 2);
  const mmAt = colon ? at + 4 : at + 3;
  if (colon && s.charCodeAt(at + 3) !== 58) return undefined;
  const mm = digits(s, mmAt, 2);
  if (hh < 0 || mm < 0 || mmAt + 2 !== s.length || hh > 23 || mm > 59) return undefined;
  return (sign === 45 ? -1 : 1) * (hh * 60 + mm);
}

/** `HH:MM:SS` at `at` as [hour, minute, second], or undefined. */
function clock(s: string, at: number): [number, number, number] | undefined {
  const hour = digits(s, at, 2);
  const minute = digits(s, at + 3, 2);
  const second = digits(s, at + 6, 2);
  if (hour < 0 || minute < 0 || second < 0 || s.charCodeAt(at + 2) !== 58 || s.charCodeAt(at + 5) !== 58) return undefined;
  return [hour, minute, second];
}

/** `Www, D[D] Mmm YYYY HH:MM:SS ZONE` (weekday optional; zone a numeric offset, GMT, UT, UTC or Z), else undefined. */
export function rfc822Fields(s: string): DateFields | undefined {
  let i = 0;
  if (isLetter(s.charCodeAt(0))) {
    if (!WEEKDAY_ABBREVIATIONS.has(s.slice(0, 3).toLowerCase()) || s.charCodeAt(3) !== 44 || s.charCodeAt(4) !== 32) return undefined;
    i = 5;
  }
  const dayEnd = digitsEnd(s, i);
  if (dayEnd === i || dayEnd > i + 2 || s.charCodeAt(dayEnd) !== 32) return undefined;
  const day = Number(s.slice(i, dayEnd));
  const monthAt = dayEnd + 1;
  if (!isLetter(s.charCodeAt(monthAt + 2)) || s.charCodeAt(monthAt + 3) !== 32) return undefined;
  const month = MONTH_ABBREVIATIONS.indexOf(s.slice(monthAt, monthAt + 3).toLowerCase()) + 1;
  const year = digits(s, monthAt + 4, 4);
  if (month === 0 || year < 0 || s.charCodeAt(monthAt + 8) !== 32) return undefined;
  const time = clock(s, monthAt + 9);
  const zoneAt = monthAt + 18;
  if (time === undefined || s.charCodeAt(zoneAt - 1) !== 32) return undefined;
  const offset = isLetter(s.charCodeAt(zoneAt)) ? UTC_NAMES.get(s.slice(zoneAt).toLowerCase()) : numericZone(s, zoneAt, false);
  if (offset === undefined) return undefined;
  return { year, month, day, hour: time[0], minute: time[1], second: time[2], offset };
}

/** `YYYY-MM-DDTHH:MM:SS[.fff]` then `Z`, `±hh:mm` or `±hhmm`, else undefined. */
export function rfc3339Fields(s: string): DateFields | undefined {
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 0 || month < 0 || day < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return undefined;
  const time = clock(s, 11);
  if (time === undefined) return undefined;
  let zoneAt = 19;
  let fraction: string | undefined;
  if (s.charCodeAt(19) === 46) {
    zoneAt = digitsEnd(s, 20);
    if (zoneAt === 20) return undefined;
    fraction = s.slice(20, zoneAt);
  }
  const zone = s.charCodeAt(zoneAt);
  let offset: number | undefined;
  if (zone === 90) offset = zoneAt + 1 === s.length ? 0 : undefined;
  else offset = numericZone(s, zoneAt, s.charCodeAt(zoneAt + 3) === 58);
  if (offset === undefined) return undefined;
  const fields: DateFields = { year, month, day, hour: time[0], minute: time[1], second: time[2], offset };
  if (fraction !== undefined) fields.fraction = fraction;
  return fields;
}
