import { resolveOptions } from '../config/resolveOptions.js';
import { getDiagnostics } from '../diagnostics/index.js';
import { renderPrometheus, PROMETHEUS_CONTENT_TYPE } from '../exposition/renderPrometheus.js';
import { getDefaultRegistry } from '../metrics/defaultRegistry.js';
import type { MetricsRegistry } from '../metrics/MetricsRegistry.js';
import { pushOptionsSchema, type PushOptions } from './options.js';

/** Outcome of a push; pushes never reject. */
export interface PushResult {
  ok: boolean;
  /** HTTP status, when the Pushgateway answered. */
  status?: number;
  /** Why it failed, without secrets. */
  error?: string;
}

/**
 * Pushes the registry to a Prometheus Pushgateway, for short-lived processes (CLIs, batch jobs):
 * `PUT /metrics/job/<job>/<label>/<value>…` with the Prometheus text format. Label values with
 * `/` or empty ones use the Pushgateway's base64 form. Never rejects; bounded by `timeoutMs`.
 */
export async function pushToGateway(options: PushOptions): Promise<PushResult> {
  const diag = getDiagnostics();
  const resolved = resolveOptions(pushOptionsSchema, options, { component: 'pushToGateway', diagnostics: diag });
  const o = resolved.options;
  if (o === undefined) return { ok: false, error: 'invalid options: url and job are required' };
  const registry = (o.registry as MetricsRegistry | undefined) ?? getDefaultRegistry();
  registry.enable();
  try {
    const body = await renderPrometheus(registry);
    return await send(groupUrl(o.url, o.job, o.groupingLabels), o.method, body, o.timeoutMs, o.headers);
  } catch (error) {
    diag.internalError(error, 'pushToGateway');
    return { ok: false, error: 'internal error' };
  }
}

/** Deletes a group from the Pushgateway (e.g. at the end of a batch job). Never rejects. */
export async function deleteFromGateway(options: Omit<PushOptions, 'method'>): Promise<PushResult> {
  const resolved = resolveOptions(pushOptionsSchema, options, { component: 'deleteFromGateway' });
  const o = resolved.options;
  if (o === undefined) return { ok: false, error: 'invalid options: url and job are required' };
  return send(groupUrl(o.url, o.job, o.groupingLabels), 'DELETE', undefined, o.timeoutMs, o.headers);
}

function groupUrl(base: string, job: string, labels: Record<string, string>): string {
  let url = `${base.replace(/\/+$/, '')}/metrics${segment('job', job)}`;
  for (const [k, v] of Object.entries(labels)) url += segment(k, v);
  return url;
}

function segment(name: string, value: string): string {
  if (value === '' || value.includes('/')) {
    const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(value))).replace(/\+/g, '-').replace(/\//g, '_');
    return `/${name}@base64/${b64 === '' ? '=' : b64}`;
  }
  return `/${name}/${encodeURIComponent(value)}`;
}

async function send(url: string, method: string, body: string | undefined, timeoutMs: number, headers: Record<string, string>): Promise<PushResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  (timer as { unref?: () => void }).unref?.();
  try {
    const res = await fetch(url, {
      method,
      body,
      headers: body === undefined ? headers : { ...headers, 'content-type': PROMETHEUS_CONTENT_TYPE },
      signal: controller.signal,
    });
    const text = res.ok ? '' : (await res.text()).slice(0, 300);
    if (!res.ok) getDiagnostics().warn('pushgateway.rejected', `Pushgateway answered ${res.status}: ${text}`, String(res.status));
    return res.ok ? { ok: true, status: res.status } : { ok: false, status: res.status, error: text };
  } catch (error) {
    const reason = controller.signal.aborted ? `timed out after ${timeoutMs} ms` : String((error as Error)?.message ?? error);
    getDiagnostics().warn('pushgateway.unreachable', `cannot push to the Pushgateway: ${reason}`, 'unreachable');
    return { ok: false, error: reason };
  } finally {
    clearTimeout(timer);
  }
}
