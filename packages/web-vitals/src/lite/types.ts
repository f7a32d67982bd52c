import type { BudgetBreach, VitalBudgets } from '../types.js';

/** Options of `startLiteVitals`. */
export interface LiteVitalsOptions {
  /** Budgets per metric (ms; CLS unitless; `false` turns one off), over the defaults FCP 2000, LCP 3000, CLS 0.1, INP 200. */
  budgets?: VitalBudgets;
  /** Called once per metric instance whose value breaks its budget. */
  onBudgetExceeded?: (breach: BudgetBreach) => void;
  /** Report every change of CLS, INP and LCP, not only the final value. Default `false`. */
  reportAllChanges?: boolean;
  /**
   * Ask `web-vitals` to report per soft navigation where the browser supports it
   * (`softNavigationSupport()`), with `navigation_type` `soft-navigation`. `startLiteVitals`
   * passes it on as given; `@lookout/browser/lite` sets it unless the host says `false`.
   */
  reportSoftNavs?: boolean;
}
