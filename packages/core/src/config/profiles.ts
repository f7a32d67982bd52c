import type { DiagLevel } from '../diagnostics/index.js';

/** Environment profiles: each picks defaults suited to where the app runs. */
export type Profile = 'development' | 'staging' | 'production';
export const PROFILES: readonly Profile[] = ['development', 'staging', 'production'];

export interface ProfileDefaults {
  /** How often metrics are pushed (OTLP, console). */
  exportIntervalMs: number;
  /** Per-export deadline. */
  exportTimeoutMs: number;
  /** Lowest diagnostic level shown. */
  diagnosticsLevel: DiagLevel;
}

/** Development pushes often and says more; production pushes once a minute (OTel's default). */
export const PROFILE_DEFAULTS: Readonly<Record<Profile, Readonly<ProfileDefaults>>> = Object.freeze({
  development: Object.freeze({ exportIntervalMs: 5_000, exportTimeoutMs: 5_000, diagnosticsLevel: 'info' as DiagLevel }),
  staging: Object.freeze({ exportIntervalMs: 15_000, exportTimeoutMs: 10_000, diagnosticsLevel: 'warn' as DiagLevel }),
  production: Object.freeze({ exportIntervalMs: 60_000, exportTimeoutMs: 30_000, diagnosticsLevel: 'warn' as DiagLevel }),
});

export const DEFAULT_PROFILE: Profile = 'production';
