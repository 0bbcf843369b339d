/**
 * Lenient date parsing for feeds: RFC 822/2822 (and the ways feeds break it), RFC 3339 / ISO 8601 / W3C-DTF
 * (extended, basic, ordinal and truncated forms), asctime, JavaScript's Date#toString, and the Korean, Greek,
 * Hungarian, Perforce and MSSQL forms feedparser accepts. Everything is pure; nothing reads the clock.
 */
import { rfc3339Fields, rfc822Fields, type DateFields } from './date-shapes';

/** Month names and abbreviations (English, Greek, Hungarian), lower-case, to month numbers. */
const MONTHS: Record<string, number> = {};
for (const [names, month] of [
  ['jan january ιαν ιανουάριος január', 1], ['feb february φεβ φεβρουάριος február', 2],
  ['mar march μάρ μαρ μάώ μαώ μάρτιος március', 3], ['apr april απρ απρίλιος április', 4],
  ['may μάι μαι μαϊ μάιος május', 5], ['jun june ιούν ιουν ιον ιούνιος június', 6],
  ['jul july ιούλ ιουλ ιολ ιούλιος július', 7], ['aug august αύγ αυγ αύγουστος augusztus', 8],
  ['sep sept september σεπ σεπτέμβριος szeptember', 9], ['oct october οκτ οκτώβριος október', 10],
  ['nov november νοέ νοε νοέμβριος november', 11], ['dec december δεκ δεκέμβριος december', 12],
] as const) {
  for (const name of names.split(' ')) MONTHS[name] = month;
}

/** Weekday names (English full and abbreviated, Greek), which are skipped: the date itself decides. */
const WEEKDAYS = new Set(
  ('mon monday tue tues tuesday wed weds wednesday thu thur thurs thursday fri friday sat saturday sun sunday ' +
    'κυρ δευ τρι τετ πεμ παρ σαβ').split(' '),
);

/** Zone abbreviations and RFC 822 military letters, lower-case, to minutes east of UTC. */
const ZONES: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, 'etc/gmt': 0, 'etc/utc': 0, wet: 0, bst: 60, west: 60, cet: 60, met: 60, cest: 120,
  mest: 120, eet: 120, eest: 180, msk: 180, jst: 540, kst: 540, hkt: 480, sgt: 480, awst: 480, acst: 570, aest: 600,
  aedt: 660, nzst: 720, nzdt: 780, nst: -210, ndt: -150, at: -240, ast: -240, adt: -180, et: -300, est: -300,
  edt: -240, ct: -360, cst: -360, cdt: -300, mt: -420, mst: -420, mdt: -360, pt: -480, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600,
};
'abcdefghiklm'.split('').forEach((letter, i) => (ZONES[letter] = -60 * (i + 1)));
'nopqrstuvwxy'.split('').forEach((letter, i) => (ZONES[letter] = 60 * (i + 1)));

/** Clock-time syntax: `H:MM`, `H:MM:SS`, fractions, an optional am/pm. */
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?: ?([ap])\.?m\.?)?`;
/** Zone syntax: numeric offsets, `GMT±hh:mm`, or a name checked against ZONES. */
const ZONE = String.raw`((?:gmt|utc|ut)?[+-]\d{1,2}(?::?\d{2})?|[a-z]{1,5}(?:/[a-z]{2,5})?)`;

/** Fields of a wall-clock reading before validation. */
type Fields = DateFields;

/** Days in a month of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** The instant the fields name, or undefined when any field is out of range (Feb 30, month 13, hour 25). */
function toInstant(f: Fields): Date | undefined {
  const { year, month, day, hour = 0, minute = 0, second = 0, offset = 0 } = f;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (minute > 59 || second > 60 || hour > 24 || (hour === 24 && (minute > 0 || second > 0))) return undefined;
  const millis = f.fraction ? Math.floor(Number(`0.${f.fraction}`) * 1000) : 0;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years 0–99 as written
  date.setUTCHours(hour, minute, second, millis);
  const ms = date.getTime() - offset * 60_000;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** A two-digit year per RFC 2822 §4.3 (00–49 → 20xx, 50–99 → 19xx); three digits add 1900; four are as written. */
function fullYear(digits: string): number {
  const n = Number(digits);
  if (digits.length === 2) return n < 50 ? 2000 + n : 1900 + n;
  return digits.length === 3 ? 1900 + n : n;
}

/** Minutes east of UTC for a zone token, or undefined when it is not one. */
function zoneOffset(token: string | undefined): number | undefined {
  if (token === undefined) return 0;
  const lower = token.toLowerCase();
  const numeric = /^(?:gmt|utc|ut)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(lower);
  if (!numeric) return ZONES[lower];
  const [, sign, hh, mm = '0'] = numeric;
  if (Number(hh) > 23 || Number(mm) > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm));
}

/** Applies clock groups [hour, minute, second, fraction, a|p] (hour absent: midnight) and a zone to the date. */
function withTime(f: Fields, clock: ReadonlyArray<string | undefined>, zone: string | undefined): Fields | undefined {
  const offset = zoneOffset(zone);
  const [hh, mm, ss, fraction, meridiem] = clock;
  if (offset === undefined) return undefined;
  if (hh === undefined) return { ...f, offset };
  let hour = Number(hh);
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  }
  return { ...f, hour, minute: Number(mm), second: Number(ss ?? 0), fraction, offset };
}

/** The month number of a name or abbreviation (a trailing dot allowed), or undefined. */
function monthNumber(name: string): number | undefined {
  return MONTHS[name.toLowerCase().replace(/\.$/, '')];
}

/** A date pattern and how its groups become fields (undefined: not a real date). */
type DatePattern = readonly [RegExp, (m: RegExpExecArray) => Fields | undefined];

/** W3C-DTF's dates (W3C NOTE-datetime, the ISO 8601 profile RFC 3339 and Dublin Core use): YYYY-MM-DD, YYYY-MM, YYYY. */
const W3C_DTF_DATES: readonly DatePattern[] = [
  [/^(\d{4})-(\d{2})-(\d{2})/, (m) => ({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) })],
  [/^(\d{4})-(\d{2})/, (m) => ({ year: Number(m[1]), month: Number(m[2]), day: 1 })],
  [/^(\d{4})/, (m) => ({ year: Number(m[1]), month: 1, day: 1 })],
];

/** ISO 8601 dates beyond W3C-DTF: basic, ordinal and truncated forms, and the spellings feeds use. */
const ISO_DATES: readonly DatePattern[] = [
  // 2003-12-31, 2003-012-31 (feedparser's zero-padded month), 2004-július-13
  [/^(\d{4})-(0?\d{2}|\p{L}+)-(\d{2})/u, (m) => {
    const month = /^\d/.test(m[2]!) ? Number(m[2]) : monthNumber(m[2]!);
    return month === undefined ? undefined : { year: Number(m[1]), month, day: Number(m[3]) };
  }],
  [/^(\d{4})(\d{2})(\d{2})/, (m) => ({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) })],
  [/^(\d{4})-?(\d{3})/, (m) => ordinal(Number(m[1]), Number(m[2]))],
  [/^(\d{4})-(\d{2})/, (m) => ({ year: Number(m[1]), month: Number(m[2]), day: 1 })],
  [/^(\d{4})/, (m) => ({ year: Number(m[1]), month: 1, day: 1 })],
  // ISO 8601:2000 truncated two-digit-year forms: 031231, 03-12-31, 03335, -0312, -03-12
  [/^(\d{2})-?(\d{2})-?(\d{2})/, (m) => ({ year: fullYear(m[1]!), month: Number(m[2]), day: Number(m[3]) })],
  [/^(\d{2})-?(\d{3})/, (m) => ordinal(fullYear(m[1]!), Number(m[2]))],
  [/^-(\d{2})-?(\d{2})/, (m) => ({ year: fullYear(m[1]!), month: Number(m[2]), day: 1 })],
];

/** Year and day-of-year as a date, or undefined past the year's end. */
function ordinal(year: number, dayOfYear: number): Fields | undefined {
  let day = dayOfYear;
  for (let month = 1; month <= 12; month++) {
    const days = daysInMonth(year, month);
    if (day <= days) return day >= 1 ? { year, month, day } : undefined;
    day -= days;
  }
  return undefined;
}

/** What may follow an ISO date: `T` or space, a time (extended, or basic after `T`), then a zone. */
const ISO_REST = new RegExp(
  String.raw`^(?:[T ] ?(?:${TIME}|(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?) ?${ZONE}?)?$`, 'iu');
/** What may follow a W3C-DTF date: `T` (or the MSSQL space), an extended time, then a zone. */
const W3C_DTF_REST = new RegExp(String.raw`^(?:[T ] ?${TIME} ?${ZONE}?)?$`, 'iu');

/** The first of `patterns` that reads `s` whole (the date, then what `rest` allows after it), as an instant. */
function parseWith(s: string, patterns: readonly DatePattern[], restPattern: RegExp): Date | undefined {
  for (const [pattern, build] of patterns) {
    const m = pattern.exec(s);
    if (!m) continue;
    const rest = restPattern.exec(s.slice(m[0].length));
    const date = rest && build(m);
    if (!rest || !date) continue;
    // groups 1–5: extended time (08:30:00); 6–9: basic time (083000, ISO_REST only); last: zone
    const basic = rest.length > 7 && rest[1] === undefined;
    const clock = basic ? rest.slice(6, 10) : rest.slice(1, 6);
    const f = withTime(date, clock, rest[rest.length - 1]);
    return f && toInstant(f);
  }
  return undefined;
}

/**
 * W3C-DTF (W3C NOTE-datetime): `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then optionally a time and zone — the profile of
 * ISO 8601 that RFC 3339 dates and Dublin Core's dc:date use. Like feedparser's W3C-DTF reader it also takes the
 * MSSQL space separator, zone names and a missing zone (UTC), but no basic, ordinal or two-digit-year forms:
 * `22013` is not a W3C-DTF date (parseDate still reads it as ISO 8601's ordinal 2022-013).
 */
export function parseW3cDtf(raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim().replace(/\s+/g, ' ');
  if (s === '' || s.length > 100) return undefined;
  return parseWith(s, W3C_DTF_DATES, W3C_DTF_REST);
}

const RFC_DAY_FIRST = new RegExp(
  String.raw`^(\d{1,2})[ -]?(\p{L}+\.?),?[ -]?(\d{2,4})(?:,? ${TIME})?(?: ?${ZONE})?(?: ?\(.*\))?$`, 'iu');
const RFC_MONTH_FIRST = new RegExp(
  String.raw`^(\p{L}+\.?) (\d{1,2})(?:st|nd|rd|th)?,? (?:(\d{4})(?:,? ${TIME})?|${TIME} (?:${ZONE} )?(\d{4}))(?: ?${ZONE})?(?: ?\(.*\))?$`,
  'iu');
const PERFORCE = new RegExp(String.raw`^(\d{4})/(\d{1,2})/(\d{1,2}) ${TIME}(?: ${ZONE})?$`, 'iu');

/** RFC 822/2822 and its relatives: day-first, month-first (asctime, Date#toString, Twitter), Perforce. */
function parseRfc822(input: string): Date | undefined {
  const weekday = /^(\p{L}+)\.?,? ?/u.exec(input);
  const s = weekday && WEEKDAYS.has(weekday[1]!.toLowerCase()) ? input.slice(weekday[0].length) : input;
  let m = RFC_DAY_FIRST.exec(s);
  if (m) {
    const month = monthNumber(m[2]!);
    const f = month && withTime({ year: fullYear(m[3]!), month, day: Number(m[1]) }, m.slice(4, 9), m[9]);
    return f ? toInstant(f) : undefined;
  }
  m = RFC_MONTH_FIRST.exec(s);
  if (m) {
    const month = monthNumber(m[1]!);
    const yearFirst = m[3] !== undefined;
    const year = fullYear(yearFirst ? m[3]! : m[15]!);
    const zone = m[16] ?? m[14];
    if (m[16] !== undefined && m[14] !== undefined) return undefined;
    const f = month && withTime({ year, month, day: Number(m[2]) }, yearFirst ? m.slice(4, 9) : m.slice(9, 14), zone);
    return f ? toInstant(f) : undefined;
  }
  m = PERFORCE.exec(s);
  if (m) {
    const f = withTime({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, m.slice(4, 9), m[9]);
    return f && toInstant(f);
  }
  return undefined;
}

/** Korean blog platforms (OnBlog `2004년 05월 28일 01:31:15`, Nate `2004-05-25 오후 11:23:17`), in KST. */
function parseKorean(s: string): Date | undefined {
  const onblog = /^(\d{4})년 (\d{1,2})월 (\d{1,2})일 (\d{1,2}):(\d{2}):(\d{2})$/.exec(s);
  const nate = /^(\d{4})-(\d{1,2})-(\d{1,2}) (오전|오후) (\d{1,2}):(\d{2}):(\d{2})$/.exec(s);
  const m = onblog ?? nate;
  if (!m) return undefined;
  const n = m.slice(1).filter((g) => /^\d+$/.test(g)).map(Number);
  let hour = n[3]!;
  if (nate) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (nate[4] === '오후' ? 12 : 0);
  }
  return toInstant({ year: n[0]!, month: n[1]!, day: n[2]!, hour, minute: n[4]!, second: n[5]!, offset: 540 });
}

/**
 * Parses a feed date leniently; undefined for anything that is not a real date (never throws). A date or time
 * without a zone is interpreted as UTC — the documented interpretation, since a feed gives no other reference.
 * Two-digit years follow RFC 2822 (00–49 → 20xx, 50–99 → 19xx). Fractional seconds are kept to the millisecond.
 */
export function parseDate(raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim().replace(/\s+/g, ' ');
  if (s === '' || s.length > 100) return undefined;
  // The common spellings first, without the regular expressions below (which read them the same).
  const common = rfc3339Fields(s) ?? rfc822Fields(s);
  const instant = common && toInstant(common);
  if (instant) return instant;
  return parseWith(s, W3C_DTF_DATES, W3C_DTF_REST) ?? parseWith(s, ISO_DATES, ISO_REST) ?? parseKorean(s) ?? parseRfc822(s);
}

/** The UTC ISO 8601 form used across Tributary: `2026-11-27T13:51:02.000Z` (Date#toISOString). */
export function toIsoUtc(d: Date): string {
  return d.toISOString();
}
