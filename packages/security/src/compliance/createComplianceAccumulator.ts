import { getDiagnostics } from '@lookout/core';
import type { Diagnostics } from '@lookout/core';
import { isFailedOutcome, PRIVILEGE_CHANGE_ACTIONS, RISK_LEVELS } from '../events/vocabulary.js';
import type { RiskLevel, SecurityEvent } from '../types.js';
import type { ComplianceReport, ReportRetention, ReportSample, ReportTamperCheck } from './types.js';

/** Samples kept per list in a report; counts are always complete. */
export const DEFAULT_REPORT_SAMPLES = 50;

/** Earliest and latest instants a JavaScript Date holds (ECMA-262: 100,000,000 days either side of 1970): a period's default and its bounds. */
const DATE_MIN_MS = -8.64e15;
const DATE_MAX_MS = 8.64e15;

/** Types whose refused attempts count as unauthorised access. */
const ACCESS_TYPES = new Set(['authorization', 'file_access', 'data_export', 'api_access', 'configuration_change', 'hook_execution']);

/** Period of a report: epoch ms, `Date` or ISO-8601 string. */
export interface ReportPeriod {
  from?: number | Date | string;
  to?: number | Date | string;
  /** Samples kept per list. Default {@link DEFAULT_REPORT_SAMPLES}. */
  maxSamples?: number;
  /** Where an unreadable or out-of-range `from`/`to` is reported. Default: the process-wide diagnostics. */
  diagnostics?: Diagnostics;
}

/** Collects events of one period into a {@link ComplianceReport}. */
export interface ComplianceAccumulator {
  /** Inclusive start and exclusive end of the period, in epoch ms. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Adds an event; events outside the period are ignored. */
  add(event: SecurityEvent): void;
  finish(extra: { tamperCheck?: ReportTamperCheck; retention?: ReportRetention; source?: string; generatedAt?: number }): ComplianceReport;
}

/**
 * A period bound in epoch ms: `fallback` when not given; when unreadable, `fallback` too, and
 * past what a Date holds, the nearest it holds (each with one diagnostic, so the report's ISO
 * dates can always be written).
 */
function periodBound(value: unknown, name: 'from' | 'to', fallback: number, diagnostics: Diagnostics): number {
  if (value === undefined) return fallback;
  const ms = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  if (Number.isNaN(ms)) {
    diagnostics.warn('compliance/invalid-period', `compliance report: ${name} ${shown} is not epoch ms, a Date or an ISO-8601 string; ${new Date(fallback).toISOString()} is used`, `compliance/invalid-period:${name}`);
    return fallback;
  }
  const clamped = Math.min(Math.max(ms, DATE_MIN_MS), DATE_MAX_MS);
  if (clamped !== ms) {
    diagnostics.warn('compliance/invalid-period', `compliance report: ${name} ${shown} is past the dates a Date can hold; ${new Date(clamped).toISOString()} is used`, `compliance/invalid-period:${name}`);
  }
  return clamped;
}

/** `ms` as an ISO-8601 date, or now when a Date cannot hold it. */
function isoDate(ms: unknown): string {
  return new Date(typeof ms === 'number' && ms >= DATE_MIN_MS && ms <= DATE_MAX_MS ? ms : Date.now()).toISOString();
}

function sample(event: SecurityEvent): ReportSample {
  const s: ReportSample = { time: new Date(event.time).toISOString(), action: event.action, outcome: event.outcome, risk: event.risk };
  if (event.actor !== undefined) s.actor = event.actor;
  if (event.sourceIp !== undefined) s.sourceIp = event.sourceIp;
  if (event.target !== undefined) s.target = event.target;
  return s;
}

/**
 * Starts a compliance report over `[from, to)` (defaults: all time). Feed it events with `add`
 * (from an audit log, a SIEM export, memory), then `finish` with the tamper check and retention
 * status. Pure: no I/O, works in any runtime.
 */
export function createComplianceAccumulator(input: ReportPeriod = {}): ComplianceAccumulator {
  const period: ReportPeriod = input !== null && typeof input === 'object' ? input : {};
  const diagnostics = period.diagnostics ?? getDiagnostics();
  const fromMs = periodBound(period.from, 'from', DATE_MIN_MS, diagnostics);
  const toMsValue = periodBound(period.to, 'to', DATE_MAX_MS, diagnostics);
  const maxSamples = typeof period.maxSamples === 'number' && period.maxSamples >= 0 ? Math.floor(period.maxSamples) : DEFAULT_REPORT_SAMPLES;
  const byType: Record<string, number> = Object.create(null) as Record<string, number>;
  const byRisk: Record<RiskLevel, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  const byTypeRisk = new Map<string, number>();
  let events = 0;
  let failedAuthentications = 0;
  const unauthorised = { count: 0, samples: [] as ReportSample[] };
  const privilege = { count: 0, samples: [] as ReportSample[] };

  return {
    fromMs,
    toMs: toMsValue,
    add(event) {
      if (event === null || typeof event !== 'object' || typeof event.time !== 'number' || !Number.isFinite(event.time)) return;
      if (event.time < fromMs || event.time >= toMsValue) return;
      events++;
      const type = String(event.type);
      const risk: RiskLevel = RISK_LEVELS.includes(event.risk) ? event.risk : 'low';
      byType[type] = (byType[type] ?? 0) + 1;
      byRisk[risk]++;
      const k = `${type}\u0000${risk}`;
      byTypeRisk.set(k, (byTypeRisk.get(k) ?? 0) + 1);
      const failed = isFailedOutcome(event.outcome);
      if (type === 'authentication' && failed) failedAuthentications++;
      if ((failed && ACCESS_TYPES.has(type)) || event.action === 'authz_fail' || event.outcome === 'blocked') {
        unauthorised.count++;
        if (unauthorised.samples.length < maxSamples) unauthorised.samples.push(sample(event));
      }
      if (PRIVILEGE_CHANGE_ACTIONS.has(event.action)) {
        privilege.count++;
        if (privilege.samples.length < maxSamples) privilege.samples.push(sample(event));
      }
    },
    finish(input) {
      const extra = input !== null && typeof input === 'object' ? input : {};
      const byTypeAndRisk = [...byTypeRisk.entries()]
        .map(([k, count]) => {
          const [type, risk] = k.split('\u0000') as [string, RiskLevel];
          return { type, risk, count };
        })
        .sort((a, b) => (a.type === b.type ? RISK_LEVELS.indexOf(a.risk) - RISK_LEVELS.indexOf(b.risk) : a.type < b.type ? -1 : 1));
      const report: ComplianceReport = {
        generatedAt: isoDate(extra.generatedAt),
        period: { from: isoDate(fromMs), to: isoDate(toMsValue) },
        events,
        byType: { ...byType },
        byRisk: { ...byRisk },
        byTypeAndRisk,
        failedAuthentications,
        unauthorisedAccessAttempts: unauthorised,
        privilegeChanges: privilege,
        tamperCheck: extra.tamperCheck ?? { status: 'not_checked', records: 0, message: 'no tamper check was run' },
        retention: extra.retention ?? { files: 0, deletions: [] },
      };
      if (extra.source !== undefined) report.source = extra.source;
      return report;
    },
  };
}
