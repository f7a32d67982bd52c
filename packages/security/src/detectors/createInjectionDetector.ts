import { createRedactor, getDiagnostics, neutraliseControlChars } from '@lookout/core';
import type { Redactor } from '@lookout/core';
import { INJECTION_RULES } from './injectionRules.js';
import type { InjectionRule } from './injectionRules.js';
import { normaliseForInspection } from './normaliseForInspection.js';
import type { DetectorContext } from '../types.js';

/** Default characters of each input that are inspected; the rest is ignored. */
export const DEFAULT_INJECTION_MAX_INPUT_LENGTH = 8192;
/** Default length of a finding's excerpt, in characters. */
export const DEFAULT_EXCERPT_LENGTH = 64;
/** Most fields inspected per `inspectFields` call; objects are walked breadth-first up to it. */
const MAX_FIELDS = 256;
const MAX_FIELD_DEPTH = 4;

/** One suspicious input. */
export interface InjectionFinding {
  kind: 'sql' | 'xss';
  /** The {@link InjectionRule} id that matched. */
  rule: string;
  /** The field the input came from, e.g. `query.q` or `body.username`. */
  field: string;
  /** Up to `excerptLength` characters of the normalised input around the match, redacted and with control characters neutralised. */
  excerpt: string;
  /** Whether the input was longer than `maxInputLength` and only its start was inspected. */
  truncated: boolean;
}

/** Input of {@link createInjectionDetector}. */
export interface InjectionDetectorOptions extends DetectorContext {
  /** Characters inspected per input. Default {@link DEFAULT_INJECTION_MAX_INPUT_LENGTH}. */
  maxInputLength?: number;
  /** Excerpt length. Default {@link DEFAULT_EXCERPT_LENGTH}. */
  excerptLength?: number;
  /** Rules to use. Default {@link INJECTION_RULES}. */
  rules?: readonly InjectionRule[];
  /** Redacts excerpts. Default: a redactor with core's default rules. */
  redactor?: Redactor;
}

/** Flags inputs that look like SQL injection or XSS. Methods never throw. */
export interface InjectionDetector {
  /** Findings for one input (one per matching rule); `[]` when it looks clean or is not a string. */
  inspect(field: string, value: unknown): InjectionFinding[];
  /** Inspects every string in `fields` (nested objects give dotted names, e.g. `body.user.name`). */
  inspectFields(fields: Record<string, unknown>): InjectionFinding[];
  /** Changes `maxInputLength` and `excerptLength` for later inspections. Invalid values get one diagnostic and are kept. */
  configure(changes: Pick<InjectionDetectorOptions, 'maxInputLength' | 'excerptLength'>): void;
}

/**
 * Creates an injection detector running the documented {@link INJECTION_RULES} against a
 * normalised copy of each input. Time is bounded: at most `maxInputLength` characters of an
 * input are looked at, normalisation is a few linear passes and every rule is a linear-time
 * pattern, so a hostile input cannot stall the process (see the ReDoS tests).
 */
export function createInjectionDetector(options: InjectionDetectorOptions = {}): InjectionDetector {
  const o = options ?? {};
  const diag = o.diagnostics ?? getDiagnostics();
  const positive = (value: unknown, fallback: number, name: string): number => {
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
    diag.warn('security/invalid-options', `createInjectionDetector: ${name} must be a positive integer; ${fallback} is used`, `injection:${name}`);
    return fallback;
  };
  let maxInputLength = positive(o.maxInputLength, DEFAULT_INJECTION_MAX_INPUT_LENGTH, 'maxInputLength');
  let excerptLength = positive(o.excerptLength, DEFAULT_EXCERPT_LENGTH, 'excerptLength');
  const rules = Array.isArray(o.rules) ? o.rules.filter((r) => r?.pattern instanceof RegExp) : INJECTION_RULES;
  let redactor = o.redactor;

  const excerpt = (text: string, index: number): string => {
    const start = Math.max(0, index - Math.floor(excerptLength / 4));
    const raw = text.slice(start, start + excerptLength);
    redactor ??= createRedactor({ diagnostics: diag });
    return neutraliseControlChars(redactor.redactString(raw)).slice(0, excerptLength * 4);
  };

  const inspect = (field: string, value: unknown): InjectionFinding[] => {
    if (typeof value !== 'string' || value.length === 0) return [];
    const text = normaliseForInspection(value, maxInputLength);
    const findings: InjectionFinding[] = [];
    for (const rule of rules) {
      const match = rule.pattern.exec(text);
      if (match === null) continue;
      findings.push({
        kind: rule.kind,
        rule: rule.id,
        field: neutraliseControlChars(String(field)).slice(0, 256),
        excerpt: excerpt(text, match.index),
        truncated: value.length > maxInputLength,
      });
    }
    return findings;
  };

  return {
    configure(changes) {
      if (changes === null || typeof changes !== 'object') return;
      maxInputLength = positive(changes.maxInputLength, maxInputLength, 'maxInputLength');
      excerptLength = positive(changes.excerptLength, excerptLength, 'excerptLength');
    },
    inspect(field, value) {
      try {
        return inspect(field, value);
      } catch (error) {
        diag.internalError(error, 'injection.inspect');
        return [];
      }
    },
    inspectFields(fields) {
      try {
        if (fields === null || typeof fields !== 'object') return [];
        const out: InjectionFinding[] = [];
        const queue: Array<[string, unknown, number]> = [];
        const enqueue = (prefix: string, source: object, depth: number): void => {
          // for…in stops early, so a huge array or object costs at most MAX_FIELDS keys.
          for (const k in source) {
            if (queue.length >= MAX_FIELDS) return;
            if (Object.prototype.hasOwnProperty.call(source, k)) queue.push([prefix === '' ? k : `${prefix}.${k}`, (source as Record<string, unknown>)[k], depth]);
          }
        };
        enqueue('', fields, 0);
        for (let i = 0; i < queue.length; i++) {
          const [name, value, depth] = queue[i] as [string, unknown, number];
          if (typeof value === 'string') out.push(...inspect(name, value));
          else if (value !== null && typeof value === 'object' && depth < MAX_FIELD_DEPTH) enqueue(name, value, depth + 1);
        }
        return out;
      } catch (error) {
        diag.internalError(error, 'injection.inspectFields');
        return [];
      }
    },
  };
}
