// view.js — renders the core's JSON (docs/result-schema.md) into elements it is handed: the
// preview table and the results. It knows no element ids and computes no statistics: every
// number shown is one the core returned, and its cell carries data-field (a JSON Pointer into
// the result) and data-value (String of the full-precision number) so tests can compare exactly.

// ---- small DOM helper -------------------------------------------------------------------
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// ---- number formatting ------------------------------------------------------------------
const MINUS = '\u2212';
const DASH = '\u2014';

function minus(text) {
  return text.replace(/^-/, MINUS).replace(/e\+?/, 'e');
}

// Four significant digits; exponent notation for very large or very small magnitudes; whole
// numbers of 5 or 6 digits are rounded and grouped (41,793 rather than 4.179e4).
export function formatNumber(v, digits = 4) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return minus(v.toExponential(digits - 1));
  if (a >= 10 ** digits) return minus(Math.round(v).toLocaleString('en-US'));
  return minus(v.toPrecision(digits));
}

export function formatCount(v) {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : formatNumber(v);
}

export function formatSigned(v, digits = 4) {
  return (v > 0 ? '+' : '') + formatNumber(v, digits);
}

// Rates of a 0/1 metric, in percent (differences in percentage points).
export function formatPercent(v, signed = false) {
  const p = v * 100;
  const a = Math.abs(p);
  const text = a === 0 ? '0.00' : a < 0.01 ? p.toPrecision(2) : p.toFixed(2);
  return (signed && p > 0 ? '+' : '') + minus(text);
}

// Relative lifts and shares, in percent with one decimal: 0.5433 → "+54.3%".
export function formatPercent1(v, signed = false) {
  const p = v * 100;
  const a = Math.abs(p);
  const text = a === 0 ? '0.0' : a < 0.1 ? p.toPrecision(2) : p.toFixed(1);
  return `${(signed && p > 0 ? '+' : '') + minus(text)}%`;
}

// Degrees of freedom: whole numbers grouped (42,691), Welch's fractional df with one decimal.
function formatDf(v) {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return minus(v.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
}

// p-values: two significant digits (0.034, 0.0021), exponent form below 0.001 (1.2e-14).
export function formatP(p) {
  if (p === 0) return '< 1e-300';
  if (p >= 0.001) return p.toPrecision(2);
  return minus(p.toExponential(1));
}

// 0.05 → "5%", 0.001 → "0.1%"
export function formatLevel(fraction) {
  return `${Number((fraction * 100).toPrecision(6))}%`;
}

// ---- JSON Pointer (RFC 6901) for data-field --------------------------------------------
function pointer(...parts) {
  return parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

// Collects the reasons for "—" cells of one section into numbered footnotes.
class Notes {
  constructor() {
    this.reasons = [];
  }

  ref(reason) {
    const text = reason || 'not available';
    let i = this.reasons.indexOf(text);
    if (i < 0) i = this.reasons.push(text) - 1;
    return i + 1;
  }

  render() {
    if (this.reasons.length === 0) return null;
    return el('ol', { class: 'footnotes', 'aria-label': 'Notes' },
      this.reasons.map((r, i) => el('li', { value: i + 1 }, r)));
  }
}

// A number as an element: its text, plus data-field/data-value; a null is "—" with its reason.
function num(value, field, { holder, key, notes, format = formatNumber, tag = 'span' } = {}) {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    const reason = holder?.unavailable?.[key] ?? 'not available';
    const n = notes ? notes.ref(reason) : null;
    return el(tag, { class: 'na', 'data-field': field, 'data-value': String(value ?? null), title: reason },
      DASH, n ? el('sup', { class: 'note-ref' }, String(n)) : null);
  }
  return el(tag, { 'data-field': field, 'data-value': String(value) }, format(value));
}

function numCell(value, field, opts = {}) {
  return el('td', { class: 'num' }, num(value, field, opts));
}

function table(caption, headers, rows, className) {
  return el('div', { class: 'table-wrap' },
    el('table', { class: className },
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, headers.map(([text, cls]) => el('th', { scope: 'col', class: cls }, text)))),
      el('tbody', {}, rows)));
}

// ---- preview -----------------------------------------------------------------------------
function columnKind(column) {
  if (column.numeric > 0 && column.numeric > column.text) return column.binary ? 'binary' : 'number';
  if (column.numeric === 0 && column.text === 0) return 'empty';
  return 'text';
}

export function renderPreview(container, preview, { maxRows = 8 } = {}) {
  const columns = preview.columns ?? [];
  const rows = (preview.rows ?? []).slice(0, maxRows);
  const head = el('tr', {}, columns.map((c) => el('th', { scope: 'col' },
    el('span', { class: 'col-name' }, c.name),
    el('span', { class: `kind kind-${columnKind(c)}` }, columnKind(c)))));
  const body = rows.map((row) => el('tr', {}, columns.map((c, i) => {
    const text = row[i] ?? '';
    const numeric = text.trim() !== '' && Number.isFinite(Number(text));
    return el('td', { class: numeric ? 'num' : null }, text);
  })));
  const shown = rows.length;
  const caption = preview.complete
    ? `All ${formatCount(preview.rows_profiled)} data rows read; the first ${shown} shown.`
    : `The first ${shown} rows (column kinds from the first ${formatCount(preview.rows_profiled)} rows).`;
  container.replaceChildren(el('table', { class: 'preview' },
    el('caption', {}, caption),
    el('thead', {}, head),
    el('tbody', {}, body)));
}

// ---- results -----------------------------------------------------------------------------
function place(line, column) {
  if (!line) return '';
  return column ? `line ${line}, column ${column}` : `line ${line}`;
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

// "Line 3, column 2: the row has 3 fields, the header 2." — for the alert region.
export function errorText(error, fileName = '') {
  const where = place(error.line, error.column);
  const what = capitalise(String(error.message ?? 'unknown error').replace(/\.?$/, '.'));
  const prefix = fileName ? `Could not analyze “${fileName}”. ` : '';
  return `${prefix}${where ? `${capitalise(where)}: ` : ''}${what}`;
}

export function warningText(warning) {
  const where = place(warning.line, warning.column);
  return `${where ? `${capitalise(where)}: ` : ''}${capitalise(warning.message)}`;
}

// ---- method names -----------------------------------------------------------------------
const CORRECTIONS = {
  holm: { short: 'Holm', long: 'Holm’s step-down method (controls the family-wise error rate)' },
  bonferroni: { short: 'Bonferroni', long: 'the Bonferroni method (controls the family-wise error rate)' },
  BH: { short: 'BH', long: 'the Benjamini–Hochberg method (controls the false discovery rate)' },
};

// How a metric's comparisons are judged: on the adjusted p-value when there are two or more
// treatment arms and a correction was asked for; else on the p-value itself.
function judging(metric) {
  const n = (metric.comparisons ?? []).length;
  const c = CORRECTIONS[metric.correction];
  return c && n >= 2 ? { adjusted: true, n, ...c } : { adjusted: false, n };
}

function isNumber(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

function differenceFormat(binary) {
  return binary ? (v) => `${formatPercent(v, true)} pp` : (v) => formatSigned(v);
}

function intervalName(kind) {
  return { t: 't', wilson: 'Wilson' }[kind] ?? kind ?? '';
}

// ---- covariate adjustment and CUPED -------------------------------------------------------
const ADJUST_METHODS = {
  lin: { name: 'Lin', long: 'Lin’s regression (treatment × centred covariate interactions)' },
  additive: { name: 'additive', long: 'additive regression (treatment indicators + covariates)' },
  cuped: { name: 'CUPED', long: 'CUPED (Welch’s t-test on metric − θ × (pre-period − its mean))' },
};

// "Adjusted (Lin, HC2)", "Adjusted (additive, HC1)", "CUPED": the column head for an adjustment.
function adjustedLabel(adjusted) {
  if (!adjusted) return 'Adjusted';
  if (adjusted.method === 'cuped') return 'CUPED';
  const m = ADJUST_METHODS[adjusted.method]?.name ?? adjusted.method;
  return `Adjusted (${m}${adjusted.se_type ? `, ${adjusted.se_type}` : ''})`;
}

const SE_NAMES = {
  HC1: 'HC1 robust standard error',
  HC2: 'HC2 robust standard error',
  welch: 'Welch’s t on the CUPED-adjusted values',
};

// ---- the input and the sample-ratio check ---------------------------------------------------
function srmPlan(srm) {
  return srm.planned === 'split' ? 'the planned split' : 'an equal split';
}

// One line for every analysis: do the arm sizes fit the planned split?
function srmLine(result, notes) {
  const srm = result.srm;
  if (!srm) return null;
  const base = ['srm'];
  const opts = (key, format) => ({ holder: srm, key, notes, format });
  const planned = srm.planned === 'split'
    ? [' (', (srm.arms ?? []).flatMap((a, i) => [i ? ', ' : '', `${a.name} `,
      num(a.share_planned, pointer(...base, 'arms', i, 'share_planned'), { format: (v) => formatPercent1(v) })]), ')']
    : [];
  let verdictText;
  if (!isNumber(srm.p_value)) verdictText = el('span', { class: 'verdict verdict-na' }, 'cannot be checked');
  else if (srm.mismatch) verdictText = el('span', { class: 'verdict verdict-warn' }, 'mismatch — see the warning above');
  else verdictText = el('span', { class: 'verdict verdict-no' }, 'no sign of a mismatch');
  return el('p', { class: 'srm-line' },
    el('strong', {}, 'Sample-ratio check: '),
    `rows per arm against ${srmPlan(srm)}`, ...planned, ': χ² = ',
    num(srm.statistic, pointer(...base, 'statistic'), opts('statistic')), ', df = ',
    num(srm.df, pointer(...base, 'df'), opts('df', formatDf)), ', p = ',
    num(srm.p_value, pointer(...base, 'p_value'), opts('p_value', formatP)), ' — ', verdictText,
    el('span', { class: 'help' }, ' (flagged when p < ',
      num(srm.threshold, pointer(...base, 'threshold'), { format: (v) => String(v) }), ')'));
}

// The prominent warning when the arm sizes do not fit the plan: above every effect.
function srmBanner(result) {
  const srm = result.srm;
  if (!srm?.mismatch) return null;
  const rows = (srm.arms ?? []).map((a, i) => {
    const base = ['srm', 'arms', i];
    return el('tr', { 'data-arm': a.name },
      el('th', { scope: 'row' }, a.name),
      numCell(a.observed, pointer(...base, 'observed'), { format: formatCount }),
      numCell(a.expected, pointer(...base, 'expected'), { format: (v) => formatCount(Math.round(v * 10) / 10) }),
      numCell(a.share_observed, pointer(...base, 'share_observed'), { format: (v) => formatPercent1(v) }),
      numCell(a.share_planned, pointer(...base, 'share_planned'), { format: (v) => formatPercent1(v) }));
  });
  return el('section', { class: 'srm-banner', 'aria-label': 'Warning: sample-ratio mismatch' },
    el('h3', {}, el('span', { class: 'srm-mark', 'aria-hidden': 'true' }, '!'),
      'Sample-ratio mismatch: check the assignment before trusting these effects'),
    el('p', {},
      `The arms hold different numbers of rows than ${srmPlan(srm)} would give, by more than chance `
      + 'explains (χ² = ', num(srm.statistic, pointer('srm', 'statistic'), {}), ', df = ',
      num(srm.df, pointer('srm', 'df'), { format: formatDf }), ', p = ',
      num(srm.p_value, pointer('srm', 'p_value'), { format: formatP }), '). '
      + 'This usually means the assignment or the logging is broken — users lost from one arm, '
      + 'bots, a redirect that drops visits, a join that duplicates rows — and the differences '
      + 'below may then be biased. Check how users were assigned and logged before relying on them'
      + (srm.planned === 'split' ? '.' : ', and if the arms were meant to be unequal, give the planned split and run again.')),
    el('div', { class: 'table-wrap' }, el('table', { class: 'srm-table' },
      el('caption', {}, 'Rows per arm: observed and planned'),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Arm'), el('th', { scope: 'col', class: 'num' }, 'Rows'),
        el('th', { scope: 'col', class: 'num' }, 'Expected rows'),
        el('th', { scope: 'col', class: 'num' }, 'Observed share'),
        el('th', { scope: 'col', class: 'num' }, 'Planned share'))),
      el('tbody', {}, rows))));
}

// The setup in words: what was compared, and how.
function methodLine(result) {
  const opts = result.options;
  const metrics = result.metrics ?? [];
  const kinds = new Set(metrics.map((m) => m.kind));
  const how = [];
  if (kinds.has('continuous')) how.push('in means by Welch’s t-test (unequal variances)');
  if (kinds.has('binary')) how.push('in rates of 0/1 metrics with Newcombe’s interval and the pooled two-proportion z-test');
  const j = metrics.length ? judging(metrics[0]) : { adjusted: false, n: 0 };
  let adjust = '';
  if (j.adjusted) {
    adjust = ` With ${j.n} treatment arms, p-values are adjusted by ${j.long}, and significance is judged on the adjusted p-value.`;
    if (opts.pre_metric || opts.covariates?.length) adjust += ' The covariate-adjusted p-values are adjusted the same way, as a family of their own.';
  }
  else if (j.n >= 2) adjust = ` With ${j.n} treatment arms, p-values are not adjusted for the several comparisons.`;
  return [`Differences are treatment minus control: ${how.join('; ')}.`, adjust, ...optionsText(opts)];
}

const TAILS = {
  upper: (q) => `values above the ${formatLevel(q)} quantile are set to it`,
  lower: (q) => `values below the ${formatLevel(1 - q)} quantile are set to it`,
  both: (q) => `values below the ${formatLevel(1 - q)} and above the ${formatLevel(q)} quantile are set to them`,
};

// The options beyond the basics (bootstrap, winsorizing, Fisher's test on request), in words.
function optionsText(opts) {
  const out = [];
  const w = opts.winsorize;
  if (w) {
    const tail = TAILS[w.tail] ?? TAILS.upper;
    out.push(' Continuous metrics are winsorized at the pooled ',
      num(w.quantile, pointer('options', 'winsorize', 'quantile'), { format: formatLevel }),
      ` quantile (${w.tail === 'both' ? 'both tails' : `${w.tail} tail`}): ${tail(w.quantile)} before any statistic.`);
  }
  if (opts.bootstrap > 0) {
    out.push(' Each difference also has a percentile bootstrap interval from ',
      num(opts.bootstrap, pointer('options', 'bootstrap'), { format: formatCount }), ' replicates (seed ',
      num(opts.seed, pointer('options', 'seed'), { format: String }), ').');
  }
  if (opts.fisher === 'always') out.push(' Fisher’s exact test is run on every binary comparison.');
  if (Array.isArray(opts.covariates) && opts.covariates.length) {
    const m = ADJUST_METHODS[opts.adjust] ?? { long: opts.adjust };
    out.push(` Each difference is also adjusted for ${opts.covariates.join(', ')} by ${m.long}; the unadjusted numbers are unchanged.`);
  }
  if (opts.pre_metric) {
    out.push(` Each difference is also estimated by CUPED with the pre-period metric ${opts.pre_metric}; the unadjusted numbers are unchanged.`);
  }
  return out;
}

function stat(label, value, field, format = formatCount) {
  return el('div', { class: 'stat' }, el('dt', {}, label), el('dd', { class: 'num' }, num(value, field, { format })));
}

// --unit COL: how many ids, and whether rows repeat them or arms share them.
function unitsBlock(input) {
  const u = input.units;
  if (!u) return null;
  const b = ['input', 'units'];
  const line = (value, key) => num(value, pointer(...b, key), { format: String });
  const findings = [];
  if (u.repeated_rows > 0) {
    findings.push(['Rows that repeat an id (first at line ', line(u.first_repeat_line, 'first_repeat_line'),
      ') are still analysed as independent units, which overstates the evidence.']);
  }
  if (u.ids_in_several_arms > 0) {
    findings.push(['An id in more than one arm (first at line ', line(u.first_cross_arm_line, 'first_cross_arm_line'),
      ') means the assignment leaked between arms.']);
  }
  const verdictText = findings.length === 0
    ? ['Every row has its own id, and no id is in more than one arm.']
    : findings.flatMap((f, i) => (i ? [' ', ...f] : f));
  return el('div', { class: 'units', 'data-units': u.column },
    el('h3', {}, 'Unit ids from column ', el('code', {}, u.column)),
    el('dl', { class: 'stats' },
      stat('Distinct ids', u.distinct, pointer(...b, 'distinct')),
      stat('Rows repeating an id', u.repeated_rows, pointer(...b, 'repeated_rows')),
      stat('Ids in several arms', u.ids_in_several_arms, pointer(...b, 'ids_in_several_arms')),
      stat('Rows without an id', u.missing, pointer(...b, 'missing'))),
    el('p', { class: `metric-note${findings.length ? ' units-problem' : ''}` }, ...verdictText,
      u.complete ? '' : ' The check stopped at its memory cap: ids after the first '
        + `${formatCount(u.distinct)} distinct ones were not checked.`));
}

// A summary file: per-arm (or per-group) sums instead of rows.
function summaryNote(input) {
  if (!input.summary) return null;
  return el('p', { class: 'summary-note', 'data-summary': 'true' },
    el('strong', {}, 'Read as a summary: '),
    'each row of this file holds a count and sums for one arm (or one group of an arm), and rows of the same arm are '
    + 'merged; every statistic is computed from those sums, as it would be from the rows. A summary has no '
    + 'minimum or maximum, so none are shown; winsorizing, unit-id checks and the bootstrap of a continuous '
    + 'metric need the rows.');
}

function inputSection(result) {
  const notes = new Notes();
  const input = result.input;
  const opts = result.options;
  const stats = el('dl', { class: 'stats' },
    stat(input.summary ? 'Summary rows read' : 'Rows read', input.rows_read, pointer('input', 'rows_read')),
    stat('Rows used', input.rows_used, pointer('input', 'rows_used')),
    stat('Rows skipped', input.rows_skipped, pointer('input', 'rows_skipped')),
    input.blank_lines ? stat('Blank lines', input.blank_lines, pointer('input', 'blank_lines')) : null,
    // The number of arms is the length of a list, not a field: it has no data-field.
    stat('Arms', result.arms.length, null),
    stat('File size', input.bytes, pointer('input', 'bytes'), formatBytes));

  const skipped = (input.skipped ?? []).map((s, i) => el('li', {},
    num(s.count, pointer('input', 'skipped', i, 'count'), { format: formatCount }),
    ` ${s.count === 1 ? 'row' : 'rows'} skipped: ${s.message}`,
    s.first_line ? ` (first at line ${s.first_line})` : ''));
  // The sample-ratio mismatch has its own banner.
  const warnings = (result.warnings ?? []).filter((w) => w.code !== 'sample_ratio_mismatch')
    .map((w) => el('li', {}, warningText(w)));
  const delimiter = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' }[input.delimiter] ?? `“${input.delimiter}”`;

  return el('section', { class: 'input-info', 'aria-label': 'About the input' },
    el('p', { class: 'setup-line' },
      'Arms from column ', el('strong', {}, opts.variant),
      ', control arm ', el('strong', {}, opts.control),
      `, ${formatLevel(opts.confidence)} confidence (α = `,
      num(opts.alpha, pointer('options', 'alpha'), { format: (v) => String(v) }),
      `), ${delimiter}-separated${input.encoding === 'windows-1252' ? ', read as Windows-1252 text (not UTF-8)' : ''}. `,
      ...methodLine(result)),
    summaryNote(input),
    stats,
    unitsBlock(input),
    srmLine(result, notes),
    skipped.length ? el('div', { class: 'skipped' }, el('h3', {}, 'Skipped rows'), el('ul', {}, skipped)) : null,
    warnings.length ? el('div', { class: 'warnings' }, el('h3', {}, 'Warnings'), el('ul', {}, warnings)) : null,
    notes.render());
}

export function formatBytes(n) {
  if (n < 1024) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v.toPrecision(3)} ${units[u]}`;
}

// The arms with their index in the result, the control first (the JSON keeps file order).
function controlFirst(arms) {
  const indexed = arms.map((arm, index) => ({ arm, index }));
  return [...indexed.filter((a) => a.arm.control), ...indexed.filter((a) => !a.arm.control)];
}

// ---- one metric ---------------------------------------------------------------------------
function armsTable(result, metric, notes) {
  const binary = metric.kind === 'binary';
  const level = formatLevel(result.options.confidence);
  const meanFormat = binary ? (v) => `${formatPercent(v)}%` : formatNumber;
  const intervals = new Set();
  const rows = controlFirst(result.arms).map(({ arm, index: ai }) => {
    const m = arm.metrics?.[metric.name] ?? {};
    if (m.interval) intervals.add(intervalName(m.interval));
    const base = ['arms', ai, 'metrics', metric.name];
    const opts = (key, format) => ({ holder: m, key, notes, format });
    return el('tr', { class: arm.control ? 'is-control' : null, 'data-arm': arm.name },
      el('th', { scope: 'row' }, arm.name),
      el('td', {}, el('span', { class: arm.control ? 'role role-control' : 'role role-treatment' },
        arm.control ? 'control' : 'treatment')),
      numCell(m.n, pointer(...base, 'n'), opts('n', formatCount)),
      binary ? numCell(m.successes, pointer(...base, 'successes'), opts('successes', formatCount)) : null,
      numCell(m.mean, pointer(...base, 'mean'), opts('mean', meanFormat)),
      binary ? null : numCell(m.sd, pointer(...base, 'sd'), opts('sd')),
      el('td', { class: 'num ci' },
        '[', num(m.ci_low, pointer(...base, 'ci_low'), opts('ci_low', meanFormat)), ', ',
        num(m.ci_high, pointer(...base, 'ci_high'), opts('ci_high', meanFormat)), ']'));
  });
  const named = [...intervals].join(', ');
  return table(binary ? 'Rate in each arm' : 'Mean in each arm',
    [['Arm'], ['Role'], ['n', 'num'], binary ? ['Successes', 'num'] : null, [binary ? 'Rate' : 'Mean', 'num'],
      binary ? null : ['SD', 'num'],
      [`${level} CI${named ? ` (${named})` : ''}`, 'num']].filter(Boolean),
    rows, 'arms');
}

function verdict(p, alpha, basis = '') {
  if (!isNumber(p)) return el('span', { class: 'verdict verdict-na' }, 'cannot be tested');
  const level = formatLevel(alpha);
  const title = basis ? `judged on ${basis}` : null;
  return p < alpha
    ? el('span', { class: 'verdict verdict-yes', title }, `significant at ${level}`)
    : el('span', { class: 'verdict verdict-no', title }, `not significant at ${level}`);
}

// "+54.3% [+19.3%, +89.3%]": the relative lift and its interval, in one cell.
function liftCell(c, base, notes) {
  const lift = c.relative_lift ?? {};
  const lb = [...base, 'relative_lift'];
  const opts = (key) => ({ holder: lift, key, notes, format: (v) => formatPercent1(v, true) });
  if (!isNumber(lift.lift)) return el('td', { class: 'num' }, num(lift.lift, pointer(...lb, 'lift'), opts('lift')));
  return el('td', { class: 'num' },
    num(lift.lift, pointer(...lb, 'lift'), opts('lift')),
    el('span', { class: 'ci lift-ci' }, ' [', num(lift.ci_low, pointer(...lb, 'ci_low'), opts('ci_low')), ', ',
      num(lift.ci_high, pointer(...lb, 'ci_high'), opts('ci_high')), ']'));
}

// The adjusted difference, its interval and its p-value, in one cell; with two or more treatment
// arms and a correction (j, from judging), also its p-value corrected across the adjusted
// comparisons.
function adjustedCell(c, base, notes, format, j) {
  const a = c.adjusted;
  const ab = [...base, 'adjusted'];
  if (!a) return el('td', { class: 'num' }, num(null, pointer(...ab), { holder: c, key: 'adjusted', notes }));
  const opts = (key, f = format) => ({ holder: a, key, notes, format: f });
  return el('td', { class: 'num adjusted-cell' },
    num(a.difference, pointer(...ab, 'difference'), opts('difference')),
    el('span', { class: 'ci adj-ci' }, '[', num(a.ci_low, pointer(...ab, 'ci_low'), opts('ci_low')), ', ',
      num(a.ci_high, pointer(...ab, 'ci_high'), opts('ci_high')), ']'),
    el('span', { class: 'adj-p' }, 'p = ', num(a.p_value, pointer(...ab, 'p_value'), opts('p_value', formatP))),
    j.adjusted ? el('span', { class: 'adj-p' }, `p (${j.short}) = `,
      num(a.p_adjusted, pointer(...ab, 'p_adjusted'), opts('p_adjusted', formatP))) : null);
}

// The percentile bootstrap interval of a difference, in one cell.
function bootCell(c, base, notes, format) {
  const b = c.bootstrap;
  const bb = [...base, 'bootstrap'];
  if (!b) return el('td', { class: 'num' }, num(null, pointer(...bb), { holder: c, key: 'bootstrap', notes }));
  const opts = (key) => ({ holder: b, key, notes, format });
  return el('td', { class: 'num ci boot-ci' },
    '[', num(b.ci_low, pointer(...bb, 'ci_low'), opts('ci_low')), ', ',
    num(b.ci_high, pointer(...bb, 'ci_high'), opts('ci_high')), ']');
}

function comparisonsTable(result, mi, metric, notes) {
  const binary = metric.kind === 'binary';
  const level = formatLevel(result.options.confidence);
  const diffFormat = differenceFormat(binary);
  const j = judging(metric);
  const pLabel = j.adjusted ? `p (${j.short})` : null;
  const boot = result.options.bootstrap > 0;
  const adjustedOne = (metric.comparisons ?? []).find((c) => c.adjusted)?.adjusted ?? null;
  const adjusted = Boolean(adjustedOne || metric.adjustment);
  const rows = (metric.comparisons ?? []).map((c, ci) => {
    const base = ['metrics', mi, 'comparisons', ci];
    const opts = (key, format) => ({ holder: c, key, notes, format });
    const judged = j.adjusted ? c.p_adjusted : c.p_value;
    return el('tr', { 'data-arm': c.arm },
      el('th', { scope: 'row' }, c.arm, el('span', { class: 'vs' }, ` vs ${c.control}`)),
      numCell(c.difference, pointer(...base, 'difference'), opts('difference', diffFormat)),
      el('td', { class: 'num ci' },
        '[', num(c.ci_low, pointer(...base, 'ci_low'), opts('ci_low', diffFormat)), ', ',
        num(c.ci_high, pointer(...base, 'ci_high'), opts('ci_high', diffFormat)), ']'),
      boot ? bootCell(c, base, notes, diffFormat) : null,
      adjusted ? adjustedCell(c, base, notes, diffFormat, j) : null,
      liftCell(c, base, notes),
      numCell(c.p_value, pointer(...base, 'p_value'), opts('p_value', formatP)),
      j.adjusted ? numCell(c.p_adjusted, pointer(...base, 'p_adjusted'), opts('p_adjusted', formatP)) : null,
      el('td', {}, verdict(judged, result.options.alpha, j.adjusted ? `the ${j.short}-adjusted p-value` : 'the p-value')));
  });
  const method = binary
    ? 'difference in rates (percentage points), Newcombe interval, pooled two-proportion z-test'
    : 'difference in means, Welch’s t-test (unequal variances)';
  const note = j.adjusted
    ? `${pLabel}: p adjusted for the ${j.n} comparisons with the control by ${j.long}; significance is judged on it.`
    : (j.n >= 2 ? `p-values not adjusted for the ${j.n} comparisons (no correction chosen).` : '');
  const bootNote = boot
    ? ` Bootstrap: ${level} percentile interval from ${formatCount(result.options.bootstrap)} replicates, seed `
      + `${result.options.seed} (${binary ? 'binomial draws of each arm’s successes' : 'resampled buckets of rows'}).`
    : '';
  const adjustNote = adjusted
    ? ` ${adjustedLabel(adjustedOne ?? { method: metric.adjustment?.method })}: the difference estimated by `
      + `${ADJUST_METHODS[metric.adjustment?.method]?.long ?? 'the adjustment'}, with its ${level} interval and p-value `
      + '(not corrected for several arms; significance is judged on the unadjusted test).'
    : '';
  const caption = el('caption', {}, `Difference from control: ${method}`,
    el('span', { class: 'caption-note' },
      `Relative lift = treatment ÷ control − 1, ${level} interval by the delta method.${bootNote}${adjustNote} ${note}`));
  return el('div', { class: 'table-wrap' },
    el('table', { class: boot ? 'comparisons has-boot' : 'comparisons' }, caption,
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Treatment arm'),
        el('th', { scope: 'col', class: 'num' }, 'Difference'),
        el('th', { scope: 'col', class: 'num' }, `${level} CI`),
        boot ? el('th', { scope: 'col', class: 'num' }, `Bootstrap ${level} CI`) : null,
        adjusted ? el('th', { scope: 'col', class: 'num adjusted-head' },
          adjustedLabel(adjustedOne ?? { method: metric.adjustment?.method })) : null,
        el('th', { scope: 'col', class: 'num' }, `Relative lift [${level} CI]`),
        el('th', { scope: 'col', class: 'num' }, 'p-value'),
        pLabel ? el('th', { scope: 'col', class: 'num' }, pLabel) : null,
        el('th', { scope: 'col' }, 'Significance', pLabel ? el('span', { class: 'th-note' }, ` by ${pLabel}`) : null))),
      el('tbody', {}, rows)));
}

// ---- the details: every other interval and test the core computed -----------------------------
// One row of the details table: a method and whichever of its numbers exist.
function detailRow(name, sub, cells) {
  const cell = (spec) => (spec ? el('td', { class: `num${spec.ci ? ' ci' : ''}` }, spec.content) : el('td', { class: 'num blank' }));
  return el('tr', {},
    el('th', { scope: 'row' }, name, sub ? el('span', { class: 'method-note' }, sub) : null),
    cell(cells.difference), cell(cells.ci), cell(cells.se), cell(cells.statistic), cell(cells.df), cell(cells.p));
}

function ciSpec(holder, base, notes, format) {
  const opts = (key) => ({ holder, key, notes, format });
  return { ci: true, content: ['[', num(holder.ci_low, pointer(...base, 'ci_low'), opts('ci_low')), ', ',
    num(holder.ci_high, pointer(...base, 'ci_high'), opts('ci_high')), ']'] };
}

function one(holder, base, key, notes, format, label = '') {
  return { content: [label, num(holder?.[key], pointer(...base, key), { holder, key, notes, format })] };
}

function ttestRows(c, base, notes, binary) {
  const fmt = differenceFormat(binary);
  const se = binary ? (v) => `${formatPercent(v)} pp` : formatNumber;
  return [['welch', 'Welch’s t-test', 'unequal variances'], ['student', 'Student’s t-test', 'equal variances']]
    .map(([key, name, sub]) => {
      const t = c[key] ?? {};
      const b = [...base, key];
      return detailRow(name, sub, {
        difference: one(t, b, 'difference', notes, fmt),
        ci: ciSpec(t, b, notes, fmt),
        se: one(t, b, 'se', notes, se),
        statistic: one(t, b, 't', notes, formatNumber, 't = '),
        df: one(t, b, 'df', notes, formatDf),
        p: one(t, b, 'p_value', notes, formatP),
      });
    });
}

function chisqRow(name, sub, holder, base, notes) {
  return detailRow(name, [sub, holder ? el('span', {}, '; smallest expected count ',
    num(holder.min_expected, pointer(...base, 'min_expected'), { holder, key: 'min_expected', notes }),
    holder.small_expected ? ' (below 5: the approximation is rough)' : '') : null], {
    statistic: one(holder, base, 'statistic', notes, formatNumber, 'χ² = '),
    df: one(holder, base, 'df', notes, formatDf),
    p: one(holder, base, 'p_value', notes, formatP),
  });
}

function binaryRows(result, c, base, notes) {
  const fmt = differenceFormat(true);
  const pp = (v) => `${formatPercent(v)} pp`;
  const nc = c.newcombe ?? {};
  const wald = c.wald ?? {};
  const z = c.z_test ?? {};
  const nb = [...base, 'newcombe'];
  const wb = [...base, 'wald'];
  const zb = [...base, 'z_test'];
  const rows = [
    detailRow('Newcombe interval, pooled z-test', 'the headline: hybrid score interval', {
      difference: one(nc, nb, 'difference', notes, fmt),
      ci: ciSpec(nc, nb, notes, fmt),
      statistic: one(z, zb, 'z', notes, formatNumber, 'z = '),
      p: one(z, zb, 'p_value', notes, formatP),
    }),
    detailRow('Wald interval', 'normal approximation, unpooled', {
      difference: one(wald, wb, 'difference', notes, fmt),
      ci: ciSpec(wald, wb, notes, fmt),
      se: one(wald, wb, 'se', notes, pp),
    }),
    ...ttestRows(c, base, notes, true),
    chisqRow('Pearson’s chi-square', '2 × 2, no continuity correction', c.chisq, [...base, 'chisq'], notes),
    chisqRow('Chi-square with Yates’ correction', 'continuity-corrected', c.chisq_yates, [...base, 'chisq_yates'], notes),
  ];
  if (c.fisher) {
    const small = c.chisq?.small_expected;
    const why = small
      ? 'run because an expected count is below 5'
      : (result.options.fisher === 'always' ? 'run on request' : 'run');
    rows.push(detailRow('Fisher’s exact test', why, { p: one(c.fisher, [...base, 'fisher'], 'p_value', notes, formatP) }));
  }
  return rows;
}

const SCHEMES = {
  binomial: 'binomial draws of each arm’s successes',
  buckets: 'resampling buckets of rows',
};

function bootRow(c, base, notes, binary) {
  const b = c.bootstrap;
  if (!b) return null;
  const bb = [...base, 'bootstrap'];
  const fmt = differenceFormat(binary);
  const se = binary ? (v) => `${formatPercent(v)} pp` : formatNumber;
  const sub = [
    el('span', { 'data-field': pointer(...bb, 'scheme'), 'data-value': b.scheme }, SCHEMES[b.scheme] ?? b.scheme),
    ...(isNumber(b.buckets) ? [' (', num(b.buckets, pointer(...bb, 'buckets'), { format: formatCount }), ' per arm)'] : []),
    ', ', num(b.replicates, pointer(...bb, 'replicates'), { format: formatCount }), ' replicates, seed ',
    num(b.seed, pointer(...bb, 'seed'), { format: String }),
  ];
  return detailRow('Bootstrap percentile interval', sub, {
    ci: ciSpec(b, bb, notes, fmt),
    se: one(b, bb, 'se', notes, se),
  });
}

// The adjusted estimate: one row per standard error the core computed, the headline first.
function adjustedRows(c, base, notes, binary) {
  const a = c.adjusted;
  if (!a) return [];
  const ab = [...base, 'adjusted'];
  const fmt = differenceFormat(binary);
  const se = binary ? (v) => `${formatPercent(v)} pp` : formatNumber;
  const name = a.method === 'cuped' ? 'CUPED' : `Adjusted, ${ADJUST_METHODS[a.method]?.name ?? a.method} regression`;
  const estimates = a.estimates?.length ? a.estimates : [a];
  return estimates.map((e, i) => {
    const eb = [...ab, 'estimates', i];
    const holder = { ...e, unavailable: e.unavailable ?? a.unavailable };
    const sub = [
      el('span', { 'data-field': pointer(...eb, 'se_type'), 'data-value': e.se_type }, SE_NAMES[e.se_type] ?? e.se_type),
      i === 0 ? ' (the headline)' : '',
    ];
    return detailRow(name, sub, {
      difference: one(a, ab, 'difference', notes, fmt),
      ci: ciSpec(holder, eb, notes, fmt),
      se: one(holder, eb, 'se', notes, se),
      statistic: one(holder, eb, 't', notes, formatNumber, 't = '),
      df: one(holder, eb, 'df', notes, formatDf),
      p: one(holder, eb, 'p_value', notes, formatP),
    });
  });
}

// With --covariates or --pre-metric: what was adjusted for, on which rows, and what was dropped.
function adjustmentNote(mi, metric, notes) {
  const a = metric.adjustment;
  if (!a) return null;
  const b = ['metrics', mi, 'adjustment'];
  const opts = (key, format = formatCount) => ({ holder: a, key, notes, format });
  const m = ADJUST_METHODS[a.method] ?? { name: a.method, long: a.method };
  const items = [];
  const names = (a.covariates ?? []).flatMap((n, i) => [i ? ', ' : '', el('code', {}, n)]);
  items.push(el('li', {}, a.method === 'cuped' ? 'Pre-period metric: ' : 'Covariates: ', names));
  items.push(el('li', {}, 'Rows used: ', num(a.rows_used, pointer(...b, 'rows_used'), opts('rows_used')),
    '; left out (an arm, but the metric or a covariate missing or not a number): ',
    num(a.rows_left_out, pointer(...b, 'rows_left_out'), opts('rows_left_out')), '.'));
  if (a.method !== 'cuped') {
    const dropped = a.dropped_columns ?? [];
    items.push(el('li', { class: dropped.length ? 'dropped' : null }, dropped.length
      ? ['Collinear columns dropped from the regression: ', ...dropped.flatMap((n, i) => [i ? ', ' : '', el('code', {}, n)]), '.']
      : 'No collinear column was dropped.'));
  }
  if (a.method === 'cuped') {
    items.push(el('li', {}, 'θ = ', num(a.theta, pointer(...b, 'theta'), opts('theta', formatNumber)),
      ' (pooled covariance of the metric and the pre-period metric over the variance of the latter); variance reduction ',
      num(a.variance_reduction, pointer(...b, 'variance_reduction'), opts('variance_reduction', (v) => `${formatPercent(v)}%`)), '.'));
  }
  return el('div', { class: 'metric-note adjust-note', 'data-adjustment': a.method },
    el('strong', {}, a.method === 'cuped' ? 'CUPED. ' : `Adjusted by ${m.long}. `),
    el('ul', {}, items));
}

function liftRow(c, base, notes) {
  const lift = c.relative_lift ?? {};
  const lb = [...base, 'relative_lift'];
  const pct = (v) => formatPercent1(v, true);
  return detailRow('Relative lift', 'treatment ÷ control − 1, delta method', {
    difference: one(lift, lb, 'lift', notes, pct),
    ci: ciSpec(lift, lb, notes, pct),
    se: one(lift, lb, 'se', notes, (v) => formatPercent1(v)),
  });
}

function detailsSection(result, mi, metric, notes) {
  const binary = metric.kind === 'binary';
  const level = formatLevel(result.options.confidence);
  const groups = (metric.comparisons ?? []).map((c, ci) => {
    const base = ['metrics', mi, 'comparisons', ci];
    const rows = binary ? binaryRows(result, c, base, notes) : ttestRows(c, base, notes, false);
    return el('tbody', { 'data-arm': c.arm },
      el('tr', { class: 'group' }, el('th', { scope: 'colgroup', colspan: 7 }, `${c.arm} vs ${c.control}`)),
      rows, bootRow(c, base, notes, binary), adjustedRows(c, base, notes, binary), liftRow(c, base, notes));
  });
  const head = el('thead', {}, el('tr', {}, [['Method'], ['Difference', 'num'], [`${level} CI`, 'num'], ['SE', 'num'],
    ['Statistic', 'num'], ['df', 'num'], ['p-value', 'num']].map(([text, cls]) => el('th', { scope: 'col', class: cls }, text))));
  const tableEl = el('div', { class: 'table-wrap' }, el('table', { class: 'details-table' },
    el('caption', {}, 'Other intervals and tests of the same difference (treatment minus control)',
      el('span', { class: 'caption-note' }, 'p-values here are not adjusted for the several arms.')),
    head, groups));

  let fisherNote = null;
  let armsLine = null;
  if (binary) {
    const comparisons = metric.comparisons ?? [];
    if (comparisons.length && comparisons.every((c) => !c.fisher)) {
      fisherNote = el('p', { class: 'metric-note' },
        'Fisher’s exact test was not run: every expected count is 5 or more, so the chi-square approximation holds.');
    }
    const ca = metric.chisq_arms;
    if (ca) {
      const b = ['metrics', mi, 'chisq_arms'];
      const opts = (key, format) => ({ holder: ca, key, notes, format });
      armsLine = el('p', { class: 'metric-note arms-test' },
        el('strong', {}, 'All arms at once: '),
        `chi-square test of arm × outcome (${result.arms.length} × 2): χ² = `,
        num(ca.statistic, pointer(...b, 'statistic'), opts('statistic')), ', df = ',
        num(ca.df, pointer(...b, 'df'), opts('df', formatDf)), ', p = ',
        num(ca.p_value, pointer(...b, 'p_value'), opts('p_value', formatP)), '; smallest expected count ',
        num(ca.min_expected, pointer(...b, 'min_expected'), opts('min_expected')),
        ca.small_expected ? ' (below 5: the approximation is rough)' : '',
        result.arms.length === 2 ? ' — with two arms, the same as the 2 × 2 test above.' : '.');
    }
  }
  const fisher = (metric.comparisons ?? []).some((c) => c.fisher);
  const boot = ((metric.comparisons ?? []).some((c) => c.bootstrap) ? ', bootstrap' : '')
    + (metric.adjustment ? `, ${metric.adjustment.method === 'cuped' ? 'CUPED' : 'adjusted regression'}` : '');
  const summary = binary
    ? `More statistics: Wald interval, t-tests, chi-square with and without Yates’ correction${fisher ? ', Fisher’s exact test' : ''}${boot}, all arms at once`
    : `More statistics: Welch and Student t-tests${boot}, relative lift`;
  return el('details', { class: 'more-stats' }, el('summary', {}, summary), adjustmentNote(mi, metric, notes), tableEl, armsLine, fisherNote);
}

// One sentence per treatment arm, for reading before the tables.
function headlines(result, metric) {
  const binary = metric.kind === 'binary';
  const fmt = differenceFormat(binary);
  const level = formatLevel(result.options.confidence);
  const j = judging(metric);
  return el('ul', { class: 'headlines' }, (metric.comparisons ?? []).map((c) => {
    if (!isNumber(c.difference) || !isNumber(c.p_value)) {
      return el('li', {}, el('strong', {}, c.arm), `: no test (${Object.values(c.unavailable ?? {})[0] ?? 'not available'}).`);
    }
    const ci = isNumber(c.ci_low) && isNumber(c.ci_high) ? ` (${level} CI ${fmt(c.ci_low)} to ${fmt(c.ci_high)})` : '';
    const lift = c.relative_lift ?? {};
    const liftText = isNumber(lift.lift)
      ? `, ${formatPercent1(lift.lift, true)} relative${isNumber(lift.ci_low) && isNumber(lift.ci_high)
        ? ` [${formatPercent1(lift.ci_low, true)}, ${formatPercent1(lift.ci_high, true)}]` : ''}`
      : '';
    const judged = j.adjusted ? c.p_adjusted : c.p_value;
    const pText = j.adjusted
      ? `p = ${formatP(c.p_value)}, ${j.short}-adjusted p = ${isNumber(c.p_adjusted) ? formatP(c.p_adjusted) : DASH}`
      : `p = ${formatP(c.p_value)}`;
    return el('li', {}, el('strong', {}, c.arm), ` vs control: ${fmt(c.difference)}${ci}${liftText}; ${pText} — `,
      verdict(judged, result.options.alpha), j.adjusted ? ` after ${j.short} adjustment.` : '.');
  }));
}

// --winsorize: the caps, how many values they changed, and that everything uses them.
function winsorNote(mi, metric, notes) {
  const w = metric.winsorized;
  if (!w) return null;
  const b = ['metrics', mi, 'winsorized'];
  const opts = (key, format = formatNumber) => ({ holder: w, key, notes, format });
  const count = (key) => num(w[key], pointer(...b, key), opts(key, formatCount));
  const values = (n) => (n === 1 ? ' value' : ' values');
  const parts = [];
  if (w.tail !== 'lower') {
    parts.push(['upper cap ', num(w.cap_high, pointer(...b, 'cap_high'), opts('cap_high')), ' (the ',
      num(w.quantile, pointer(...b, 'quantile'), { format: formatLevel }), ' quantile), ',
      count('capped_high'), values(w.capped_high), ' above it set to it']);
  }
  if (w.tail !== 'upper') {
    parts.push(['lower cap ', num(w.cap_low, pointer(...b, 'cap_low'), opts('cap_low')),
      ` (the ${formatLevel(1 - w.quantile)} quantile), `, count('capped_low'), values(w.capped_low), ' below it set to it']);
  }
  return el('p', { class: 'winsor-note', 'data-winsorized': w.tail },
    el('strong', {}, 'Winsorized. '),
    `Every number of ${metric.name} on this page — means, SDs, intervals, tests — uses capped values. Caps from all arms pooled: `,
    ...parts.flatMap((p, i) => (i ? ['; ', ...p] : p)), '.');
}

function metricNote(mi, metric) {
  const parts = [];
  if (metric.missing) {
    parts.push(el('span', {}, num(metric.missing, pointer('metrics', mi, 'missing'), { format: formatCount }),
      ` missing ${metric.missing === 1 ? 'value' : 'values'} left out`));
  }
  if (metric.invalid) {
    const f = metric.first_invalid;
    parts.push(el('span', {}, num(metric.invalid, pointer('metrics', mi, 'invalid'), { format: formatCount }),
      ` ${metric.invalid === 1 ? 'value was' : 'values were'} not usable`,
      f ? ` (first at ${place(f.line, f.column)}: “${f.text}”)` : '', ' and left out'));
  }
  if (parts.length === 0) return null;
  return el('p', { class: 'metric-note' }, parts.flatMap((p, i) => (i ? ['; ', p] : [p])), '.');
}

// Renders the whole result; returns what charts.js needs:
// [{canvas, metric, kind, confidence, arms: [{name, control, mean, ci_low, ci_high, interval}]}].
export function renderResults(container, result) {
  const charts = [];
  const level = formatLevel(result.options.confidence);
  const sections = (result.metrics ?? []).map((metric, mi) => {
    const notes = new Notes();
    const binary = metric.kind === 'binary';
    const intervals = binary ? 'Wilson score intervals' : 't intervals';
    const canvas = el('canvas', {
      role: 'img',
      'aria-label': `Bar chart: ${binary ? 'rate' : 'mean'} of ${metric.name} in each arm with `
        + `${level} ${intervals} (the tables give the numbers).`,
    });
    charts.push({
      canvas,
      metric: metric.name,
      kind: metric.kind,
      confidence: result.options.confidence,
      arms: controlFirst(result.arms).map(({ arm }) => ({
        name: arm.name, control: arm.control, ...(arm.metrics?.[metric.name] ?? {}),
      })),
    });
    return el('section', { class: 'metric', 'data-metric': metric.name, 'aria-label': `Metric ${metric.name}` },
      el('header', { class: 'metric-head' },
        el('h3', {}, metric.name),
        el('span', { class: `kind kind-${metric.kind}` }, binary ? 'binary (0/1)' : 'continuous'),
        metric.winsorized ? el('span', { class: 'kind kind-capped' }, 'winsorized') : null),
      winsorNote(mi, metric, notes),
      headlines(result, metric),
      el('div', { class: 'metric-body' },
        armsTable(result, metric, notes),
        el('figure', { class: 'chart' },
          el('div', { class: 'chart-box' }, canvas),
          el('figcaption', {}, `${binary ? 'Rate' : 'Mean'} by arm, with ${level} ${intervals}`
            + `${metric.winsorized ? ' (capped values)' : ''}.`))),
      comparisonsTable(result, mi, metric, notes),
      detailsSection(result, mi, metric, notes),
      metricNote(mi, metric),
      binary ? el('p', { class: 'metric-note' }, 'Rates are in percent; differences in percentage points (pp).') : null,
      notes.render());
  });

  container.replaceChildren(...[
    el('h2', { class: 'results-title' }, 'Results', el('span', { class: 'file' }, result.input.file ? ` — ${result.input.file}` : '')),
    srmBanner(result),
    inputSection(result),
    ...sections].filter(Boolean));
  return charts;
}
