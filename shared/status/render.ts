/**
 * The status page: one self-contained HTML document (inline CSS, inline SVG, no script, nothing
 * fetched) showing each source's health and the pipeline's last cycles. Every value that came from
 * a feed, the OPML or an error message is escaped.
 */
import type { Source, SourceState } from '../model';
import type { CycleRecord } from '../store/ports';
import { healthOf, STATUS_DAYS, windowStart, type SourceCheck, type StatusInput } from './collect';
import { sparklineSvg } from './sparkline';

/** HTML text and double-quoted attribute escaping. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

/** The URL when it is absolute http(s), else undefined (so no `javascript:` link can be written). */
function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** "3 min ago" / "in 12 min" relative to now, for an ISO time. */
export function relativeTime(iso: string | undefined, now: Date): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const seconds = Math.round((t - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const [n, unit] =
    abs < 60 ? [abs, 's'] : abs < 3600 ? [Math.round(abs / 60), 'min'] : abs < 172_800 ? [Math.round(abs / 3600), 'h'] : [Math.round(abs / 86_400), 'd'];
  if (abs < 5) return 'now';
  return seconds < 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`;
}

/** A `<time>` element with the exact UTC time as its tooltip. */
function timeCell(iso: string | undefined, now: Date): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '<span class="muted">—</span>';
  const exact = new Date(Date.parse(iso)).toISOString();
  return `<time datetime="${escapeHtml(exact)}" title="${escapeHtml(exact)}">${escapeHtml(relativeTime(iso, now))}</time>`;
}

const HEALTH_LABEL = { ok: '✔ ok', 'not-modified': '✔ not modified', error: '✖ failing', gone: '✖ gone', new: '… not fetched yet' } as const;

function sourceRow(source: Source, state: SourceState | undefined, check: SourceCheck | undefined, counts: number[], now: Date): string {
  // A check after the state's last write answered 304 or the same body: not modified, code not kept.
  const health = check?.sinceWrite ? 'not-modified' : healthOf(state);
  const code = check?.sinceWrite ? undefined : state?.lastStatusCode;
  const failing = health === 'error' || health === 'gone';
  const title = escapeHtml(source.title || state?.feedTitle || source.id);
  const site = safeHref(source.siteUrl);
  const feed = safeHref(state?.url ?? source.url);
  const total = counts.reduce((a, b) => a + b, 0);
  const error = state?.lastError ? `<span class="error">${escapeHtml(state.lastError)}</span>` : '<span class="muted">—</span>';
  return `<tr class="source ${failing ? 'failing' : health}" data-source="${escapeHtml(source.id)}" data-health="${health}">
<td class="name">${site ? `<a href="${escapeHtml(site)}">${title}</a>` : title}<br><code>${escapeHtml(source.id)}</code>${feed ? ` · <a class="feed" href="${escapeHtml(feed)}">feed</a>` : ''}</td>
<td><span class="badge ${failing ? 'bad' : health === 'new' ? 'new' : 'good'}">${HEALTH_LABEL[health]}</span>${code ? ` <span class="muted">HTTP ${code}</span>` : ''}</td>
<td>${timeCell(check ? check.lastCheckedAt : state?.lastFetchAt, now)}</td>
<td>${timeCell(check ? check.nextFetchAt : state?.nextFetchAt, now)}</td>
<td class="num${(state?.consecutiveFailures ?? 0) > 0 ? ' bad-text' : ''}">${state?.consecutiveFailures ?? 0}</td>
<td class="spark-cell">${sparklineSvg(counts, escapeHtml(`${total} new items in ${STATUS_DAYS} days`))} <span class="num">${total}</span></td>
<td class="err">${error}</td>
</tr>`;
}

function cycleRow(cycle: CycleRecord, now: Date): string {
  const ms = Date.parse(cycle.finishedAt) - Date.parse(cycle.startedAt);
  const seconds = Number.isFinite(ms) ? (ms / 1000).toFixed(1) : '—';
  const cells = [cycle.sources, cycle.ok, cycle.notModified, cycle.failed, cycle.itemsNew, cycle.itemsUpdated, cycle.itemsMerged].map(
    (n, i) => `<td class="num${i === 3 && n > 0 ? ' bad-text' : ''}">${Number(n)}</td>`,
  );
  return `<tr class="cycle${cycle.failed > 0 ? ' with-failures' : ''}"><td>${timeCell(cycle.startedAt, now)}</td><td class="num">${seconds} s</td>${cells.join('')}<td class="num">${(Number(cycle.bytes) / 1024).toFixed(1)} KB</td></tr>`;
}

const CSS = `
:root{color-scheme:light;--bad:#b42318;--bad-bg:#fde8e7;--good:#067647;--good-bg:#e3f6ec;--muted:#667085;--line:#e4e7ec}
*{box-sizing:border-box}body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#101828;background:#f8f9fb}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}p.sub{margin:0 0 16px;color:var(--muted)}
.summary{display:flex;gap:12px;margin:12px 0 20px}.summary div{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 14px}
.summary b{display:block;font-size:20px}.summary .bad b{color:var(--bad)}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);border-radius:8px}
th,td{padding:8px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);background:#f2f4f7}
tr.failing td{background:var(--bad-bg)}tr.failing td:first-child{box-shadow:inset 4px 0 0 var(--bad)}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-weight:600;font-size:12px;white-space:nowrap}
.badge.good{background:var(--good-bg);color:var(--good)}.badge.bad{background:var(--bad);color:#fff}.badge.new{background:#eef;color:#344}
.num{text-align:right;font-variant-numeric:tabular-nums}.bad-text{color:var(--bad);font-weight:700}
.muted{color:var(--muted)}.error{color:var(--bad);word-break:break-word}td.err{max-width:360px}
code{font-size:12px;color:var(--muted)}a{color:#175cd3}.spark{vertical-align:middle}
.spark .bar{fill:#2e90fa}.spark .bar.empty{fill:#d0d5dd}tr.failing .spark .bar{fill:var(--bad)}
`;

/**
 * The status page as a complete HTML document: a summary, one table row per source (status, last
 * check and next fetch, consecutive failures, a 14-day sparkline of new items per day of arrival,
 * last error; failing rows marked in red) and the last cycles.
 */
export function renderStatusPage(input: StatusInput): string {
  const now = input.now ?? new Date();
  const title = input.title ?? 'Tributary';
  const rows = input.sources.map((s) => sourceRow(s, input.states.get(s.id), input.checks?.get(s.id), input.itemsPerDay.get(s.id) ?? new Array<number>(STATUS_DAYS).fill(0), now));
  const failing = input.sources.filter((s) => ['error', 'gone'].includes(healthOf(input.states.get(s.id)))).length;
  const cycles = input.cycles.map((c) => cycleRow(c, now));
  const from = windowStart(now).toISOString().slice(0, 10);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — status</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(title)} — pipeline status</h1>
<p class="sub">As of <time datetime="${now.toISOString()}">${now.toISOString().replace('T', ' ').slice(0, 19)} UTC</time>; new items per day of arrival since ${from}.</p>
<div class="summary"><div><b>${input.sources.length}</b>sources</div><div class="${failing > 0 ? 'bad' : ''}"><b id="failing-count">${failing}</b>failing</div><div><b>${input.cycles.length}</b>recent cycles</div></div>
<h2>Sources</h2>
<table id="sources">
<thead><tr><th>Source</th><th>Status</th><th>Last check</th><th>Next fetch</th><th>Failures</th><th>New items / day (${STATUS_DAYS} d)</th><th>Last error</th></tr></thead>
<tbody>
${rows.length > 0 ? rows.join('\n') : '<tr><td colspan="7" class="muted">No sources.</td></tr>'}
</tbody>
</table>
<h2>Last cycles</h2>
<table id="cycles">
<thead><tr><th>Started</th><th>Took</th><th>Sources</th><th>OK</th><th>304</th><th>Failed</th><th>New</th><th>Updated</th><th>Merged</th><th>Fetched</th></tr></thead>
<tbody>
${cycles.length > 0 ? cycles.join('\n') : '<tr><td colspan="10" class="muted">No cycle has run yet.</td></tr>'}
</tbody>
</table>
</body>
</html>
`;
}
