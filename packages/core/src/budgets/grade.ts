import type { BudgetResult, GradeResult, PerformanceGrade } from './types.js';

/** Lowest score of each grade, best first. */
export const GRADE_THRESHOLDS: readonly (readonly [PerformanceGrade, number])[] = Object.freeze([
  ['A+', 95],
  ['A', 85],
  ['B', 70],
  ['C', 55],
  ['D', 0],
] as const);

const ORDER: readonly PerformanceGrade[] = ['A+', 'A', 'B', 'C', 'D'];

/**
 * The performance grade across budgets: the weighted mean of the budgets' scores (see
 * `scoreValue`: 100 within target, 85 at the warning threshold, 60 at the critical one) mapped
 * by {@link GRADE_THRESHOLDS} (A+ ≥ 95, A ≥ 85, B ≥ 70, C ≥ 55, else D), and capped: a budget
 * in `warning` allows at most B, one in `critical` at most C. Budgets without data are left out;
 * with none measured, `grade` and `score` are undefined.
 */
export function gradeBudgets(results: readonly BudgetResult[]): GradeResult {
  let weight = 0;
  let acc = 0;
  const counts = { measured: 0, ok: 0, warning: 0, critical: 0 };
  const list: readonly BudgetResult[] = Array.isArray(results) ? results : [];
  for (const r of list) {
    if (r === null || typeof r !== 'object' || r.score === undefined || !Number.isFinite(r.score)) continue;
    const w = r.budget?.weight ?? 1;
    counts.measured++;
    if (r.state === 'ok' || r.state === 'warning' || r.state === 'critical') counts[r.state]++;
    weight += w;
    acc += w * r.score;
  }
  if (counts.measured === 0 || !(weight > 0)) return { grade: undefined, score: undefined, counts };
  const score = acc / weight;
  let grade = gradeOfScore(score);
  if (counts.critical > 0) grade = worst(grade, 'C');
  else if (counts.warning > 0) grade = worst(grade, 'B');
  return { grade, score, counts };
}

/** The grade of a score 0–100, without caps. */
export function gradeOfScore(score: number): PerformanceGrade {
  for (const [grade, min] of GRADE_THRESHOLDS) if (score >= min) return grade;
  return 'D';
}

function worst(a: PerformanceGrade, b: PerformanceGrade): PerformanceGrade {
  return ORDER.indexOf(a) > ORDER.indexOf(b) ? a : b;
}
