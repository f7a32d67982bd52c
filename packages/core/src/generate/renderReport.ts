import { formatBudgetValue } from './format.js';
import type { ReportBudget, ReportData } from './report.js';

/** The report as JSON (2-space indent). */
export function renderReportJson(data: ReportData): string {
  return `${JSON.stringify(data, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

const CSV_COLUMNS = ['budget', 'name', 'metric', 'aggregation', 'direction', 'unit', 'target', 'warning', 'critical', 'value', 'state', 'score', 'trend_slope_per_s', 'trend_r2', 'forecast'] as const;

/** RFC 4180 field: quoted when needed; a leading `=`, `+`, `-`, `@` is defused against spreadsheet formulas. */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The report as CSV: one row per budget (header first, CRLF line ends). */
export function renderReportCsv(data: ReportData): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  for (const b of data.budgets) {
    const forecast = b.trend?.forecast[b.trend.forecast.length - 1]?.value;
    rows.push(
      [b.id, b.name, b.metric, b.aggregation, b.direction, b.unit, b.target, b.warning, b.critical, b.value, b.state, b.score, b.trend?.slope, b.trend?.r2, forecast].map(csvField).join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}

function esc(s: unknown): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STATE_COLOR: Readonly<Record<string, string>> = { ok: '#1a7f37', warning: '#bf8700', critical: '#cf222e', nodata: '#6e7781' };
const GRADE_COLOR: Readonly<Record<string, string>> = { 'A+': '#1a7f37', A: '#2da44e', B: '#bf8700', C: '#d1242f', D: '#82071e' };

/** An inline SVG line chart of a budget's series, thresholds and forecast. */
function chart(b: ReportBudget): string {
  const W = 560;
  const H = 180;
  const L = 64;
  const R = 12;
  const T = 12;
  const B = 28;
  const points = b.series;
  const forecast = b.trend?.forecast ?? [];
  if (points.length === 0) return `<svg class="chart" role="img" aria-label="${esc(b.name)}: no data" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"><text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="muted">no data in range</text></svg>`;
  const ts = [...points.map((p) => p.t), ...forecast.map((p) => p.t)];
  const vs = [...points.map((p) => p.value), ...forecast.map((p) => p.value), b.target, b.warning, b.critical].filter((v) => Number.isFinite(v));
  let t0 = Math.min(...ts);
  let t1 = Math.max(...ts);
  if (t1 === t0) {
    t0 -= 1000;
    t1 += 1000;
  }
  let v0 = Math.min(0, ...vs);
  let v1 = Math.max(...vs);
  if (v1 === v0) v1 = v0 + 1;
  v1 += (v1 - v0) * 0.05;
  const x = (t: number): number => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v: number): number => T + (1 - (Math.min(Math.max(v, v0), v1) - v0) / (v1 - v0)) * (H - T - B);
  const path = (ps: ReadonlyArray<{ t: number; value: number }>): string => ps.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const line = (v: number, color: string, label: string): string =>
    `<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="${color}" stroke-dasharray="4 3"/><text x="${W - R - 2}" y="${(y(v) - 3).toFixed(1)}" text-anchor="end" class="tl" fill="${color}">${esc(label)} ${esc(formatBudgetValue(v, b.unit))}</text>`;
  const ticks = [v0, (v0 + v1) / 2, v1].map((v) => `<text x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="ax">${esc(formatBudgetValue(v, b.unit))}</text>`).join('');
  const time = (t: number): string => new Date(t).toISOString().slice(5, 16).replace('T', ' ');
  const last = points[points.length - 1]!;
  return [
    `<svg class="chart" role="img" aria-label="${esc(b.name)} over time" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">`,
    `<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="#f6f8fa"/>`,
    ticks,
    `<text x="${L}" y="${H - 8}" class="ax">${esc(time(t0))}</text><text x="${W - R}" y="${H - 8}" text-anchor="end" class="ax">${esc(time(t1))}</text>`,
    line(b.target, STATE_COLOR['ok']!, 'target'),
    line(b.warning, STATE_COLOR['warning']!, 'warning'),
    line(b.critical, STATE_COLOR['critical']!, 'critical'),
    `<path d="${path(points)}" fill="none" stroke="#0969da" stroke-width="2"/>`,
    forecast.length > 0 ? `<path d="${path([last, ...forecast])}" fill="none" stroke="#8250df" stroke-width="2" stroke-dasharray="6 4"/>` : '',
    `<circle cx="${x(last.t).toFixed(1)}" cy="${y(last.value).toFixed(1)}" r="3.5" fill="${STATE_COLOR[b.state] ?? '#0969da'}"/>`,
    '</svg>',
  ].join('');
}

function trendText(b: ReportBudget): string {
  if (b.trend === null) return '—';
  const end = b.trend.forecast[b.trend.forecast.length - 1];
  const perHour = b.trend.slope * 3600;
  const dir = Math.abs(perHour) < 1e-12 ? 'flat' : perHour > 0 ? '↑' : '↓';
  return `${dir} ${formatBudgetValue(Math.abs(perHour), b.unit)}/h (r² ${b.trend.r2.toFixed(2)})${end ? `, forecast ${formatBudgetValue(end.value, b.unit)}` : ''}`;
}

/**
 * The report as one self-contained HTML page: inline CSS and SVG charts, no script, no external
 * asset (a Content-Security-Policy of `default-src 'none'` says so to the browser). Shows the
 * grade, each budget against its target with its trend and forecast, and the top errors.
 */
export function renderReportHtml(data: ReportData): string {
  const grade = data.grade ?? '–';
  const rows = data.budgets
    .map(
      (b) =>
        `<tr><td><b>${esc(b.name)}</b><div class="muted">${esc(b.aggregation)} of ${esc(b.metric)}</div></td><td class="num">${esc(formatBudgetValue(b.value, b.unit))}</td><td class="num">${esc(`${b.direction === 'below' ? '≥' : '≤'} ${formatBudgetValue(b.target, b.unit)}`)}</td><td class="num">${esc(formatBudgetValue(b.warning, b.unit))} / ${esc(formatBudgetValue(b.critical, b.unit))}</td><td><span class="pill" style="background:${STATE_COLOR[b.state]}">${esc(b.state)}</span></td><td class="num">${b.score === null ? '—' : esc(b.score.toFixed(0))}</td><td>${esc(trendText(b))}</td></tr>`,
    )
    .join('');
  const charts = data.budgets
    .map((b) => `<figure><figcaption><b>${esc(b.name)}</b> <span class="pill" style="background:${STATE_COLOR[b.state]}">${esc(b.state)}</span> <span class="muted">${esc(b.description)}</span></figcaption>${chart(b)}</figure>`)
    .join('');
  const errors =
    data.topErrors.length === 0
      ? '<p class="muted">No errors recorded.</p>'
      : `<table><thead><tr><th>Metric</th><th>Labels</th><th class="num">Count</th></tr></thead><tbody>${data.topErrors
          .map((e) => `<tr><td>${esc(e.metric)}</td><td>${esc(Object.entries(e.labels).map(([k, v]) => `${k}=${v}`).join(', ') || '—')}</td><td class="num">${esc(Math.round(e.count))}</td></tr>`)
          .join('')}</tbody></table>`;
  const warnings = data.warnings.length === 0 ? '' : `<section><h2>Warnings</h2><ul>${data.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></section>`;
  const range = `${new Date(data.range.from).toISOString()} – ${new Date(data.range.to).toISOString()}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(data.title)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:24px auto;max-width:1200px;padding:0 16px}
h1{font-size:22px;margin:0}h2{font-size:17px;margin:28px 0 8px}
header{display:flex;gap:20px;align-items:center}
.grade{font-size:40px;font-weight:700;color:#fff;border-radius:10px;min-width:72px;text-align:center;padding:6px 10px}
.muted{color:#6e7781;font-size:12px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums}
.pill{color:#fff;border-radius:10px;padding:1px 8px;font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:16px}
figure{margin:0;border:1px solid #d0d7de;border-radius:8px;padding:8px}figcaption{margin-bottom:4px}
.chart{max-width:100%;height:auto}.chart .ax,.chart .tl{font-size:10px}.chart .ax{fill:#6e7781}
</style>
</head>
<body>
<header><div class="grade" style="background:${GRADE_COLOR[grade] ?? '#6e7781'}">${esc(grade)}</div><div><h1>${esc(data.title)}</h1><div class="muted">Score ${data.score === null ? '—' : esc(data.score.toFixed(1))} · ${esc(data.budgets.length)} budgets · source ${esc(data.source)}${data.sourceUrl ? ` (${esc(data.sourceUrl)})` : ''} · ${esc(range)} · generated ${esc(data.generatedAt)}</div></div></header>
<section><h2>Budgets</h2><table><thead><tr><th>Budget</th><th class="num">Value</th><th class="num">Target</th><th class="num">Warning / critical</th><th>State</th><th class="num">Score</th><th>Trend</th></tr></thead><tbody>${rows}</tbody></table></section>
<section><h2>Trends</h2><div class="charts">${charts}</div></section>
<section><h2>Top errors</h2>${errors}</section>
${warnings}
</body>
</html>
`;
}
