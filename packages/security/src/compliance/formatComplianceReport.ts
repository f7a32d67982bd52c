import type { ComplianceReport, ReportSample } from './types.js';

/** Output formats of {@link formatComplianceReport}. */
export type ReportFormat = 'json' | 'csv' | 'html';

/** RFC 4180 field; cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) get a leading `'`. */
function csvCell(value: unknown): string {
  let s = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRows(report: ComplianceReport): string[][] {
  const rows: string[][] = [['section', 'key', 'value']];
  const add = (section: string, key: string, value: unknown): void => {
    rows.push([section, key, value === undefined ? '' : String(value)]);
  };
  add('report', 'generated_at', report.generatedAt);
  add('report', 'period_from', report.period.from);
  add('report', 'period_to', report.period.to);
  if (report.source !== undefined) add('report', 'source', report.source);
  add('summary', 'events', report.events);
  add('summary', 'failed_authentications', report.failedAuthentications);
  add('summary', 'unauthorised_access_attempts', report.unauthorisedAccessAttempts.count);
  add('summary', 'privilege_changes', report.privilegeChanges.count);
  for (const [type, n] of Object.entries(report.byType)) add('by_type', type, n);
  for (const [risk, n] of Object.entries(report.byRisk)) add('by_risk', risk, n);
  for (const r of report.byTypeAndRisk) add('by_type_and_risk', `${r.type}/${r.risk}`, r.count);
  add('tamper_check', 'status', report.tamperCheck.status);
  add('tamper_check', 'records', report.tamperCheck.records);
  add('tamper_check', 'message', report.tamperCheck.message);
  if (report.tamperCheck.file !== undefined) add('tamper_check', 'location', `${report.tamperCheck.file}:${report.tamperCheck.line ?? ''}`);
  add('retention', 'files', report.retention.files);
  if (report.retention.policy?.maxAgeMs !== undefined) add('retention', 'max_age_ms', report.retention.policy.maxAgeMs);
  if (report.retention.policy?.maxFiles !== undefined) add('retention', 'max_files', report.retention.policy.maxFiles);
  add('retention', 'oldest_record', report.retention.oldestRecord);
  add('retention', 'newest_record', report.retention.newestRecord);
  for (const d of report.retention.deletions) add('retention_deletion', d.time, `${d.files.join(' ')} (through seq ${d.throughSeq})`);
  const sampleValue = (s: ReportSample): string => [s.action, s.outcome, s.risk, s.actor ?? '', s.sourceIp ?? '', s.target ?? ''].join(' ');
  for (const s of report.unauthorisedAccessAttempts.samples) add('unauthorised_access_sample', s.time, sampleValue(s));
  for (const s of report.privilegeChanges.samples) add('privilege_change_sample', s.time, sampleValue(s));
  return rows;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function h(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function table(headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const head = headers.map((x) => `<th>${h(x)}</th>`).join('');
  const body = rows.length === 0 ? `<tr><td colspan="${headers.length}">none</td></tr>` : rows.map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function samplesTable(samples: readonly ReportSample[]): string {
  return table(
    ['time', 'action', 'outcome', 'risk', 'actor', 'source IP', 'target'],
    samples.map((s) => [s.time, s.action, s.outcome, s.risk, s.actor ?? '', s.sourceIp ?? '', s.target ?? '']),
  );
}

function html(report: ComplianceReport): string {
  const t = report.tamperCheck;
  const statusClass = t.status === 'ok' ? 'ok' : t.status === 'not_checked' ? 'warn' : 'bad';
  const r = report.retention;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Security compliance report ${h(report.period.from)} – ${h(report.period.to)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:64rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.ok{color:#176b2c}.bad{color:#a4161a}.warn{color:#8a5a00}.num{font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
</style>
</head>
<body>
<h1>Security compliance report</h1>
<dl>
<dt>Period</dt><dd>${h(report.period.from)} to ${h(report.period.to)}</dd>
<dt>Generated</dt><dd>${h(report.generatedAt)}</dd>
${report.source === undefined ? '' : `<dt>Source</dt><dd>${h(report.source)}</dd>\n`}<dt>Tamper check</dt><dd class="${statusClass}"><strong>${h(t.status)}</strong>: ${h(t.message)}</dd>
</dl>
<h2>Summary</h2>
${table(['measure', 'count'], [
  ['security events', report.events],
  ['failed authentications', report.failedAuthentications],
  ['unauthorised access attempts', report.unauthorisedAccessAttempts.count],
  ['privilege changes', report.privilegeChanges.count],
])}
<h2>Events by type</h2>
${table(['type', 'count'], Object.entries(report.byType))}
<h2>Events by risk</h2>
${table(['risk', 'count'], Object.entries(report.byRisk))}
<h2>Events by type and risk</h2>
${table(['type', 'risk', 'count'], report.byTypeAndRisk.map((x) => [x.type, x.risk, x.count]))}
<h2>Unauthorised access attempts</h2>
${samplesTable(report.unauthorisedAccessAttempts.samples)}
<h2>Privilege changes</h2>
${samplesTable(report.privilegeChanges.samples)}
<h2>Retention</h2>
${table(['measure', 'value'], [
  ['audit files', r.files],
  ['policy: maximum age (days)', r.policy?.maxAgeMs === undefined ? 'none' : (r.policy.maxAgeMs / 86_400_000).toFixed(2)],
  ['policy: maximum files', r.policy?.maxFiles ?? 'none'],
  ['oldest record', r.oldestRecord ?? ''],
  ['newest record', r.newestRecord ?? ''],
])}
${table(['deleted at', 'files', 'through sequence'], r.deletions.map((d) => [d.time, d.files.join(', '), d.throughSeq]))}
</body>
</html>
`;
}

/**
 * Renders a report: `json` (pretty-printed), `csv` (RFC 4180, columns `section,key,value`,
 * cells that a spreadsheet would evaluate are prefixed with `'`) or `html` (one self-contained
 * page: inline CSS, no scripts, a CSP that forbids loading anything, every value escaped).
 */
export function formatComplianceReport(report: ComplianceReport, format: ReportFormat = 'json'): string {
  if (format === 'csv') return csvRows(report).map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
  if (format === 'html') return html(report);
  return JSON.stringify(report, null, 2);
}
