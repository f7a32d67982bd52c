import { BoundedMap, createRedactor, getDefaultRegistry, getDiagnostics, neutraliseControlChars, settleBy } from '@lookout/core';
import type { Diagnostics, RedactorOptions } from '@lookout/core';
import { createAlerter, defaultAlertKey, shouldAlert } from './alerts/createAlerter.js';
import {
  DEFAULT_ALERT_COOLDOWN_MS,
  DEFAULT_DETAILS_MAX_STRING_LENGTH,
  DEFAULT_SECURITY_FLUSH_DEADLINE_MS,
  resolveSecurityLoggerChanges,
  resolveSecurityLoggerOptions,
} from './config.js';
import type { SecurityLoggerChanges, SecurityLoggerOptions } from './config.js';
import { createBruteForceDetector } from './detectors/createBruteForceDetector.js';
import type { BruteForceDetector } from './detectors/createBruteForceDetector.js';
import { createCoordinatedDetector } from './detectors/createCoordinatedDetector.js';
import type { CoordinatedDetector } from './detectors/createCoordinatedDetector.js';
import { createInjectionDetector } from './detectors/createInjectionDetector.js';
import type { InjectionDetector, InjectionFinding } from './detectors/createInjectionDetector.js';
import { createRateLimiter } from './detectors/createRateLimiter.js';
import type { RateLimiter } from './detectors/createRateLimiter.js';
import { createEventNormaliser } from './events/createEventNormaliser.js';
import { isFailedOutcome } from './events/vocabulary.js';
import { createSecurityMetrics } from './metrics/createSecurityMetrics.js';
import type { AlertCallback, SecurityEvent, SecurityEventInput, SecuritySink } from './types.js';

/** Who an input or request came from, for the events detectors raise. */
export interface RequestContext {
  actor?: string;
  sourceIp?: string;
  userAgent?: string;
  target?: string;
}

/** A key on the blocklist: a raw key (`user:alice`, `ip:203.0.113.7`) or the actor / IP of a request. */
export type BlockKey = string | { actor?: string; sourceIp?: string };

/** The security logger. No method throws; after `shutdown` every method is a no-op. */
export interface SecurityLogger {
  /**
   * Validates, redacts and records one event: counts it, writes it to every sink, alerts when
   * {@link shouldAlert}, and feeds the detectors (a failed authentication counts towards brute
   * force and coordinated attempts). Returns the event as recorded, or `undefined` when it was
   * invalid (one diagnostic) or the logger is off.
   */
  logSecurityEvent(input: SecurityEventInput): SecurityEvent | undefined;
  /** `true` for risk `high` and `critical`. */
  shouldAlert(event: SecurityEvent | undefined): boolean;
  /**
   * Runs the injection heuristics over `fields` (e.g. `{ query: req.query, body: req.body }`).
   * When anything is found, logs one high-risk `input_validation_fail` event listing each
   * finding (field, rule, redacted excerpt) and returns the findings.
   */
  inspectInput(fields: Record<string, unknown>, context?: RequestContext): InjectionFinding[];
  /**
   * Takes one request from `key`'s allowance. `false` means over the limit: the first refusal
   * per key and window is logged as `excess_rate_limit_exceeded`.
   */
  checkRateLimit(key: string, context?: RequestContext): boolean;
  /** Whether a key (or a request's actor or IP) is blocked. O(1). */
  isBlocked(key: BlockKey): boolean;
  /** Blocks a key by hand for `durationMs` (default: the brute-force block duration). */
  block(key: BlockKey, durationMs?: number): void;
  /** Lifts a block. */
  unblock(key: BlockKey): void;
  /**
   * Changes at run time what may change, keeping the state: detector thresholds (`bruteForce`,
   * `coordinated`, `injection`, `rateLimit`), `alertCooldownMs`, `onAlert` and `enabled`. Blocked
   * keys stay blocked until their time, failures inside the window still count under a new
   * threshold, rate-limit use and alert cooldowns are kept. A detector object changes only the
   * fields given; `false` turns a detector off (forgetting its state). Options fixed at creation
   * (sinks, redaction, registry, `alertKey`, `maxKeys` …), unknown options and invalid values get
   * one diagnostic each and are left as they were; the rest applies. Never throws; a no-op after
   * `shutdown`.
   */
  configure(changes: SecurityLoggerChanges): void;
  /** The detectors, for direct use. `undefined` when turned off (also after `configure` turned one off). */
  readonly detectors: {
    bruteForce?: BruteForceDetector;
    coordinated?: CoordinatedDetector;
    injection?: InjectionDetector;
    rateLimiter: RateLimiter;
  };
  /** Flushes every sink; resolves by `deadlineMs` (default 5 s), never rejects. */
  flush(deadlineMs?: number): Promise<void>;
  /** Flushes and closes every sink; later calls are no-ops. Idempotent, never rejects. */
  shutdown(deadlineMs?: number): Promise<void>;
}

/** Brute force keys: one per user, one per IP. */
function keysOf(key: BlockKey): string[] {
  if (typeof key === 'string') return [key];
  if (key === null || typeof key !== 'object') return [];
  const out: string[] = [];
  if (typeof key.actor === 'string' && key.actor !== '') out.push(`user:${key.actor}`);
  if (typeof key.sourceIp === 'string' && key.sourceIp !== '') out.push(`ip:${key.sourceIp}`);
  return out;
}

/**
 * Creates a security logger: events (OCSF-shaped, OWASP-named, redacted), alerting with a
 * cooldown, brute-force / coordinated-attempt / injection detectors, a rate limiter, metrics
 * through `@lookout/core`, and any number of sinks (`createSiemSink`, `createSyslogSink` from
 * `@lookout/security/syslog`, `createAuditLog(...).sink` from `@lookout/security/audit-log`).
 * Invalid options get one diagnostic each and their defaults (`strict: true` throws).
 */
export function createSecurityLogger(options: SecurityLoggerOptions = {}): SecurityLogger {
  const resolved = resolveSecurityLoggerOptions(options, (options as { diagnostics?: Diagnostics } | undefined)?.diagnostics).options ?? {};
  const diagnostics = (): Diagnostics => resolved.diagnostics ?? getDiagnostics();
  const now = resolved.now ?? Date.now;
  const registry = resolved.registry ?? getDefaultRegistry();
  const sinks: SecuritySink[] = [...(resolved.sinks ?? [])];
  let active = resolved.enabled !== false;
  let closed = false;
  // Sinks are flushed and shut down if the logger was ever on: configure() may turn it off after writing.
  let everActive = active;

  const redactionOptions: RedactorOptions = { maxStringLength: DEFAULT_DETAILS_MAX_STRING_LENGTH, ...(resolved.redaction ?? {}) };
  const hostHook = redactionOptions.redact;
  // Control characters are neutralised after the host's own hook, whatever it returns.
  redactionOptions.redact = (value, key) => {
    let out = value;
    if (typeof hostHook === 'function') {
      try {
        const r = hostHook(value, key);
        if (typeof r === 'string') out = r;
      } catch (error) {
        diagnostics().internalError(error, 'security.redaction.redact');
      }
    }
    return neutraliseControlChars(out);
  };
  if (redactionOptions.diagnostics === undefined && resolved.diagnostics !== undefined) redactionOptions.diagnostics = resolved.diagnostics;
  const redactor = createRedactor(redactionOptions);
  const normalise = createEventNormaliser(redactor, diagnostics, now);

  const detectorCtx = { now, diagnostics: diagnostics() };
  // `let`: configure() may turn a detector off or back on.
  const makeBruteForce = (o: object | undefined): BruteForceDetector => createBruteForceDetector({ ...o, ...detectorCtx, maxKeys: resolved.bruteForce ? resolved.bruteForce.maxKeys : undefined });
  const makeCoordinated = (o: object | undefined): CoordinatedDetector => createCoordinatedDetector({ ...o, ...detectorCtx, maxTargets: resolved.coordinated ? resolved.coordinated.maxTargets : undefined });
  const makeInjection = (o: object | undefined): InjectionDetector => createInjectionDetector({ ...o, ...detectorCtx, redactor });
  let bruteForce = resolved.bruteForce === false ? undefined : makeBruteForce(resolved.bruteForce);
  let coordinated = resolved.coordinated === false ? undefined : makeCoordinated(resolved.coordinated);
  let injection = resolved.injection === false ? undefined : makeInjection(resolved.injection);
  const rateLimiter = createRateLimiter({ ...(resolved.rateLimit ?? {}), ...detectorCtx });
  let rateLimit = resolved.rateLimit?.limit ?? 100;
  let rateWindowMs = resolved.rateLimit?.windowMs ?? 60_000;
  const rateReported = new BoundedMap<string, number>(10_000);

  const metrics = createSecurityMetrics(registry, () => bruteForce?.blockedCount ?? 0);
  const callbacksOf = (onAlert: AlertCallback | AlertCallback[] | undefined): AlertCallback[] => (onAlert === undefined ? [] : Array.isArray(onAlert) ? onAlert : [onAlert]);
  const alertSettings = { callbacks: callbacksOf(resolved.onAlert), cooldownMs: resolved.alertCooldownMs ?? DEFAULT_ALERT_COOLDOWN_MS };
  const alert = createAlerter(alertSettings, resolved.alertKey ?? defaultAlertKey, now, diagnostics);
  const detectors: SecurityLogger['detectors'] = { bruteForce, coordinated, injection, rateLimiter };

  const configure = (input: SecurityLoggerChanges): void => {
    if (closed) return;
    const c = resolveSecurityLoggerChanges(input, diagnostics());
    if (c.enabled !== undefined) {
      active = c.enabled;
      everActive ||= active;
    }
    if (c.alertCooldownMs !== undefined) alertSettings.cooldownMs = c.alertCooldownMs;
    if ('onAlert' in c) alertSettings.callbacks = callbacksOf(c.onAlert);
    if (c.bruteForce === false) bruteForce = undefined;
    else if (c.bruteForce !== undefined) bruteForce === undefined ? (bruteForce = makeBruteForce(c.bruteForce)) : bruteForce.configure(c.bruteForce);
    if (c.coordinated === false) coordinated = undefined;
    else if (c.coordinated !== undefined) coordinated === undefined ? (coordinated = makeCoordinated(c.coordinated)) : coordinated.configure(c.coordinated);
    if (c.injection === false) injection = undefined;
    else if (c.injection !== undefined) injection === undefined ? (injection = makeInjection(c.injection)) : injection.configure(c.injection);
    if (c.rateLimit !== undefined) {
      rateLimiter.configure(c.rateLimit);
      rateLimit = c.rateLimit.limit ?? rateLimit;
      rateWindowMs = c.rateLimit.windowMs ?? rateWindowMs;
    }
    Object.assign(detectors, { bruteForce, coordinated, injection });
  };

  /** Counts, writes and alerts one normalised event. */
  const emit = (event: SecurityEvent): void => {
    metrics.events.add(1, { type: event.type, risk: event.risk });
    for (const sink of sinks) {
      try {
        sink.write(event);
      } catch (error) {
        diagnostics().internalError(error, `security.sink.${String(sink.name)}`);
      }
    }
    const result = alert(event);
    if (result !== 'skipped') metrics.alerts.add(1, { result });
  };

  /** Normalises and emits an event Lookout raises itself. */
  const raise = (input: SecurityEventInput): SecurityEvent | undefined => {
    const event = normalise(input);
    if (event !== undefined) emit(event);
    return event;
  };

  const onAuthentication = (input: SecurityEventInput, event: SecurityEvent): void => {
    const actor = typeof input.actor === 'string' || typeof input.actor === 'number' ? String(input.actor) : undefined;
    const ip = event.sourceIp;
    if (!isFailedOutcome(event.outcome)) {
      if (event.outcome === 'success' && actor !== undefined) bruteForce?.recordSuccess(`user:${actor}`);
      return;
    }
    metrics.authFailures.add(1);
    if (bruteForce !== undefined) {
      for (const key of keysOf({ actor, sourceIp: ip })) {
        const r = bruteForce.recordFailure(key);
        if (!r.justBlocked) continue;
        metrics.keysBlocked.add(1, { detector: 'brute_force' });
        raise({
          type: 'authentication',
          action: 'authn_login_fail_max',
          outcome: 'blocked',
          risk: 'high',
          actor: input.actor,
          sourceIp: ip,
          userAgent: input.userAgent,
          target: input.target,
          details: { detector: 'brute_force', key, failures: r.failures, blockedUntil: new Date(r.blockedUntil ?? now()).toISOString(), triggeredBy: event.id },
        });
      }
    }
    if (coordinated !== undefined) {
      const target = typeof input.target === 'string' && input.target !== '' ? input.target : actor !== undefined ? `user:${actor}` : undefined;
      const source = ip !== undefined ? `ip:${ip}` : actor !== undefined ? `user:${actor}` : undefined;
      if (target !== undefined && source !== undefined) {
        const r = coordinated.recordFailure(target, source);
        if (r.triggered) {
          raise({
            type: 'threat_detection',
            action: 'authn_coordinated_fail',
            outcome: 'failure',
            risk: 'high',
            target,
            details: { detector: 'coordinated', sources: r.sources, triggeredBy: event.id },
          });
        }
      }
    }
  };

  const logSecurityEvent = (input: SecurityEventInput): SecurityEvent | undefined => {
    if (!active) return undefined;
    try {
      const event = normalise(input);
      if (event === undefined) {
        metrics.eventsDropped.add(1, { reason: 'invalid' });
        return undefined;
      }
      emit(event);
      if (event.type === 'authentication') onAuthentication(input, event);
      return event;
    } catch (error) {
      diagnostics().internalError(error, 'logSecurityEvent');
      return undefined;
    }
  };

  const context = (c: RequestContext | undefined): RequestContext => (c !== null && typeof c === 'object' ? c : {});

  const flushSinks = (method: 'flush' | 'shutdown', deadlineMs: number | undefined): Promise<void> => {
    const deadline = typeof deadlineMs === 'number' && deadlineMs >= 0 ? deadlineMs : DEFAULT_SECURITY_FLUSH_DEADLINE_MS;
    const tasks: Promise<unknown>[] = [];
    for (const sink of sinks) {
      try {
        const p = sink[method]?.(deadline);
        if (p !== undefined) tasks.push(Promise.resolve(p));
      } catch (error) {
        diagnostics().internalError(error, `security.sink.${String(sink.name)}.${method}`);
      }
    }
    return settleBy(tasks, deadline);
  };

  let shutdownPromise: Promise<void> | undefined;

  return {
    logSecurityEvent,
    shouldAlert,
    inspectInput(fields, ctx) {
      if (!active || injection === undefined) return [];
      try {
        const findings = injection.inspectFields(fields);
        if (findings.length === 0) return findings;
        for (const f of findings) metrics.injectionFindings.add(1, { kind: f.kind });
        const c = context(ctx);
        raise({
          type: 'input_validation',
          action: 'input_validation_fail',
          outcome: 'blocked',
          risk: 'high',
          actor: c.actor,
          sourceIp: c.sourceIp,
          userAgent: c.userAgent,
          target: c.target,
          details: { findings: findings.map((f) => ({ field: f.field, kind: f.kind, rule: f.rule, excerpt: f.excerpt, truncated: f.truncated })) },
        });
        return findings;
      } catch (error) {
        diagnostics().internalError(error, 'inspectInput');
        return [];
      }
    },
    checkRateLimit(key, ctx) {
      if (!active) return true;
      try {
        if (rateLimiter.take(key)) return true;
        const t = now();
        const last = rateReported.get(key);
        if (last === undefined || t - last >= rateWindowMs) {
          rateReported.set(key, t);
          const c = context(ctx);
          raise({
            type: 'api_access',
            action: 'excess_rate_limit_exceeded',
            outcome: 'blocked',
            actor: c.actor,
            sourceIp: c.sourceIp,
            userAgent: c.userAgent,
            target: c.target,
            details: { key, limit: rateLimit, windowMs: rateWindowMs },
          });
        }
        return false;
      } catch (error) {
        diagnostics().internalError(error, 'checkRateLimit');
        return true;
      }
    },
    isBlocked(key) {
      if (!active || bruteForce === undefined) return false;
      try {
        for (const k of keysOf(key)) if (bruteForce.isBlocked(k)) return true;
        return false;
      } catch {
        return false;
      }
    },
    block(key, durationMs) {
      if (!active || bruteForce === undefined) return;
      for (const k of keysOf(key)) {
        bruteForce.block(k, durationMs);
        metrics.keysBlocked.add(1, { detector: 'manual' });
      }
    },
    unblock(key) {
      if (bruteForce === undefined) return;
      for (const k of keysOf(key)) bruteForce.unblock(k);
    },
    configure(changes) {
      try {
        configure(changes);
      } catch (error) {
        diagnostics().internalError(error, 'security.configure');
      }
    },
    detectors,
    flush(deadlineMs) {
      if (closed || !everActive) return Promise.resolve();
      return flushSinks('flush', deadlineMs);
    },
    shutdown(deadlineMs) {
      if (shutdownPromise !== undefined) return shutdownPromise;
      active = false;
      closed = true;
      metrics.release();
      shutdownPromise = everActive ? flushSinks('shutdown', deadlineMs) : Promise.resolve();
      return shutdownPromise;
    },
  };
}
