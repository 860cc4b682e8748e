// stats.js — what every engine reports, in one shape, and the check that they agree:
//   {ARM: {rows, converted: {n, mean, variance}, revenue: {n, mean, variance}}}
export const METRICS = ['converted', 'revenue'];
export const OPTIONS = { variant: 'variant', control: 'control', metric: METRICS.join(',') };
export const REL_TOL = 1e-9;

// From the core's result JSON (docs/result-schema.md): variance is sd squared.
export function statsFromResult(result) {
  const stats = {};
  for (const arm of result.arms) {
    const entry = { rows: arm.rows };
    for (const name of METRICS) {
      const m = arm.metrics[name];
      entry[name] = { n: m.n, mean: m.mean, variance: m.sd === null ? null : m.sd * m.sd };
    }
    stats[arm.name] = entry;
  }
  return stats;
}

function relDiff(a, b) {
  if (a === b) return 0;
  if (a === null || b === null) return Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

// Sentences naming every disagreement of `got` with `want` (n exactly, the rest to REL_TOL).
export function compareStats(want, got) {
  const problems = [];
  const arms = new Set([...Object.keys(want), ...Object.keys(got)]);
  for (const arm of arms) {
    const w = want[arm];
    const g = got[arm];
    if (!w || !g) {
      problems.push(`arm "${arm}" is ${w ? 'missing' : 'unexpected'}`);
      continue;
    }
    if (w.rows !== g.rows) problems.push(`${arm}: rows ${g.rows}, expected ${w.rows}`);
    for (const metric of METRICS) {
      if (w[metric].n !== g[metric].n) problems.push(`${arm}.${metric}.n ${g[metric].n}, expected ${w[metric].n}`);
      for (const field of ['mean', 'variance']) {
        const d = relDiff(w[metric][field], g[metric][field]);
        if (!(d <= REL_TOL)) {
          problems.push(`${arm}.${metric}.${field} ${g[metric][field]}, expected ${w[metric][field]} (relative difference ${d.toExponential(2)})`);
        }
      }
    }
  }
  return problems;
}

// The largest relative difference over all means and variances (for the report).
export function maxRelDiff(want, got) {
  let worst = 0;
  for (const arm of Object.keys(want)) {
    for (const metric of METRICS) {
      for (const field of ['mean', 'variance']) {
        const d = relDiff(want[arm][metric][field], got[arm]?.[metric]?.[field] ?? null);
        worst = Math.max(worst, d);
      }
    }
  }
  return worst;
}
