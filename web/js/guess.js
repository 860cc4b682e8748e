// guess.js — pure functions that guess the roles of a file's columns from the core's preview
// (docs/result-schema.md, "causeway.preview/1"): which column holds the arm, which arm is the
// control, and which columns are outcomes. No DOM, no state: the page asks, the person confirms.

// Names an experiment's assignment column is usually given, compared after normalisation.
const VARIANT_NAMES = new Set([
  'variant', 'variation', 'group', 'arm', 'segment', 'treat', 'treatment', 'bucket', 'experiment',
  'cohort', 'condition', 'branch', 'assignment', 'abgroup', 'testgroup', 'expgroup', 'version',
]);

// Control labels, best first; "no …" / "not …" labels are matched separately.
const CONTROL_LABELS = [
  'control', 'ctrl', 'ctl', 'controlgroup', 'baseline', 'holdout', 'placebo', 'none', 'untreated',
  'off', 'default', 'original', 'a', '0', 'false',
];

// Words that name an outcome (tokens of a column name), and whole names that do.
const OUTCOME_TOKENS = new Set([
  'conversion', 'conversions', 'converted', 'convert', 'conv', 'visit', 'visits', 'visited',
  'click', 'clicks', 'clicked', 'ctr', 'spend', 'spent', 'revenue', 'rev', 'purchase',
  'purchases', 'purchased', 'order', 'orders', 'ordered', 'signup', 'signups', 'outcome',
  'outcomes', 'sales', 'sale', 'gmv', 'retention', 'retained', 'churn', 'churned', 'success',
  'response', 'responded', 'bought', 'paid', 'payment', 'payments', 'subscribed', 'activated',
  'earnings', 'income', 'profit',
]);
const OUTCOME_NAMES = new Set(['y', 're78', 'target', 'result', 'label']);

const ID_TOKENS = new Set(['id', 'uuid', 'guid', 'key', 'idx', 'index', 'rownum', 'row']);

const MAX_ARMS = 20;
const SMALL_INTEGER = 1000;

// "Treatment_Group" → "treatmentgroup"; used for whole-name comparisons.
function normalise(name) {
  return String(name).toLowerCase().replace(/[^a-z0-9]+/g, '');
}

// "historySegment", "history_segment", "history segment" → ["history", "segment"].
function tokens(name) {
  return String(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function isSmallInteger(text) {
  return /^[+-]?\d+$/.test(text.trim()) && Math.abs(Number(text)) <= SMALL_INTEGER;
}

function looksNumeric(text) {
  return text.trim() !== '' && Number.isFinite(Number(text));
}

// A column mostly made of numbers (a stray word is reported by the analysis, not hidden here).
export function isNumericColumn(column) {
  return column.numeric > 0 && column.numeric > column.text;
}

export function metricKind(column) {
  return column.binary ? 'binary' : 'continuous';
}

export function isIdColumn(column) {
  const t = tokens(column.name);
  return t.length > 0 && (ID_TOKENS.has(t[t.length - 1]) || normalise(column.name) === 'userid');
}

function isOutcomeName(name) {
  return OUTCOME_NAMES.has(normalise(name)) || tokens(name).some((t) => OUTCOME_TOKENS.has(t));
}

// Could this column hold the arms? Text labels or small integer codes, few distinct values.
export function isVariantCandidate(column) {
  const values = column.values ?? [];
  if (column.values_capped || values.length === 0 || values.length > MAX_ARMS) return false;
  return values.every((v) => !looksNumeric(v.value) || isSmallInteger(v.value));
}

// 3: the name is a usual variant name; 2: one of its words is; 1: anything else eligible.
function variantTier(column) {
  if (VARIANT_NAMES.has(normalise(column.name))) return 3;
  if (tokens(column.name).some((t) => VARIANT_NAMES.has(t))) return 2;
  return 1;
}

function controlRank(label) {
  const n = normalise(label);
  const i = CONTROL_LABELS.indexOf(n);
  if (i >= 0) return i;
  if (/^(no|not|without)\b/i.test(String(label).trim())) return CONTROL_LABELS.length;
  return -1;
}

// The control arm among a column's values: a recognised label, else the first value seen.
export function guessControl(column) {
  const values = (column?.values ?? []).map((v) => v.value);
  let best = null;
  let bestRank = Infinity;
  for (const value of values) {
    const rank = controlRank(value);
    if (rank >= 0 && rank < bestRank) {
      best = value;
      bestRank = rank;
    }
  }
  if (best !== null) return { control: best, recognised: true };
  return { control: values[0] ?? null, recognised: false };
}

// Rank variant candidates, best first.
function variantCandidates(columns) {
  return columns
    .filter(isVariantCandidate)
    .map((column) => ({
      column,
      tier: variantTier(column),
      distinct: column.values.length,
      recognised: guessControl(column).recognised,
      text: column.text > 0,
    }))
    // Unnamed columns need at least two values to look like arms; a named one with a single
    // value is kept so that the analysis can say plainly that there is only one arm.
    .filter((c) => c.tier > 1 || c.distinct >= 2)
    .sort((a, b) => b.tier - a.tier
      || Number(b.distinct >= 2) - Number(a.distinct >= 2)
      || Number(b.recognised) - Number(a.recognised)
      || Number(b.text) - Number(a.text)
      || a.distinct - b.distinct
      || a.column.index - b.column.index);
}

// A summary file (docs/warehouse.md): a count column `n` (or `count`) and, for a metric M, a
// column M_sum but no column M. Returns the metric names M, in column order ([] for rows).
export function summaryMetrics(columns) {
  const names = new Set(columns.map((c) => c.name));
  if (!names.has('n') && !names.has('count')) return [];
  return columns
    .map((c) => /^(.+)_sum$/.exec(c.name)?.[1])
    .filter((m) => m && !names.has(m));
}

// The outcome columns: numeric, not the variant, not an id; only outcome-like names if any.
// For a summary file, the metrics its sums describe (the core decides binary or continuous).
export function guessMetrics(columns, variantName) {
  const summary = summaryMetrics(columns).filter((m) => m !== variantName);
  if (summary.length > 0) {
    const named = summary.filter(isOutcomeName);
    return (named.length > 0 ? named : summary).map((name) => ({ name, kind: 'summary' }));
  }
  const numeric = columns.filter((c) => c.name !== variantName && isNumericColumn(c) && !isIdColumn(c));
  const outcomes = numeric.filter((c) => isOutcomeName(c.name));
  return (outcomes.length > 0 ? outcomes : numeric).map((c) => ({ name: c.name, kind: metricKind(c) }));
}

// preview → {variant, control, metrics: [{name, kind}], unambiguous}
export function guessRoles(preview) {
  const columns = preview?.columns ?? [];
  const candidates = variantCandidates(columns);
  const best = candidates[0];
  if (!best) return { variant: null, control: null, metrics: [], unambiguous: false };

  const { control, recognised } = guessControl(best.column);
  const metrics = guessMetrics(columns, best.column.name);
  const rivals = candidates.filter((c) => c.tier === best.tier);
  const strong = best.tier >= 2 && rivals.length === 1;
  return {
    variant: best.column.name,
    control,
    metrics,
    unambiguous: strong && recognised && metrics.length >= 1,
  };
}
