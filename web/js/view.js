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

// Four significant digits; exponent notation for very large or very small magnitudes.
export function formatNumber(v, digits = 4) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return minus(v.toExponential(digits - 1));
  return minus(v.toPrecision(digits));
}

export function formatCount(v) {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : formatNumber(v);
}

export function formatSigned(v, digits = 4) {
  return (v > 0 ? '+' : '') + formatNumber(v, digits);
}

// Rates of a 0/1 metric, in percent (differences in percentage points).
function formatPercent(v, signed = false) {
  const p = v * 100;
  const a = Math.abs(p);
  const text = a === 0 ? '0.00' : a < 0.01 ? p.toPrecision(2) : p.toFixed(2);
  return (signed && p > 0 ? '+' : '') + minus(text);
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

function inputSection(result) {
  const input = result.input;
  const opts = result.options;
  const stat = (label, value, field, format = formatCount) => el('div', { class: 'stat' },
    el('dt', {}, label), el('dd', { class: 'num' }, num(value, field, { format })));
  const stats = el('dl', { class: 'stats' },
    stat('Rows read', input.rows_read, pointer('input', 'rows_read')),
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
  const warnings = (result.warnings ?? []).map((w) => el('li', {}, warningText(w)));
  const delimiter = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' }[input.delimiter] ?? `“${input.delimiter}”`;

  return el('section', { class: 'input-info', 'aria-label': 'About the input' },
    el('p', { class: 'setup-line' },
      'Arms from column ', el('strong', {}, opts.variant),
      ', control arm ', el('strong', {}, opts.control),
      `, ${formatLevel(opts.confidence)} confidence (α = `,
      num(opts.alpha, pointer('options', 'alpha'), { format: (v) => String(v) }),
      `), ${delimiter}-separated. Differences are treatment minus control; intervals and `
      + 'p-values from Welch’s t-test (unequal variances).'),
    stats,
    skipped.length ? el('div', { class: 'skipped' }, el('h3', {}, 'Skipped rows'), el('ul', {}, skipped)) : null,
    warnings.length ? el('div', { class: 'warnings' }, el('h3', {}, 'Warnings'), el('ul', {}, warnings)) : null);
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

function armsTable(result, metric, notes) {
  const binary = metric.kind === 'binary';
  const level = formatLevel(result.options.confidence);
  const meanFormat = binary ? (v) => `${formatPercent(v)}%` : formatNumber;
  const rows = controlFirst(result.arms).map(({ arm, index: ai }) => {
    const m = arm.metrics?.[metric.name] ?? {};
    const base = ['arms', ai, 'metrics', metric.name];
    const opts = (key, format) => ({ holder: m, key, notes, format });
    return el('tr', { class: arm.control ? 'is-control' : null, 'data-arm': arm.name },
      el('th', { scope: 'row' }, arm.name),
      el('td', {}, el('span', { class: arm.control ? 'role role-control' : 'role role-treatment' },
        arm.control ? 'control' : 'treatment')),
      numCell(m.n, pointer(...base, 'n'), opts('n', formatCount)),
      numCell(m.mean, pointer(...base, 'mean'), opts('mean', meanFormat)),
      numCell(m.sd, pointer(...base, 'sd'), opts('sd')),
      el('td', { class: 'num ci' },
        '[', num(m.ci_low, pointer(...base, 'ci_low'), opts('ci_low', meanFormat)), ', ',
        num(m.ci_high, pointer(...base, 'ci_high'), opts('ci_high', meanFormat)), ']'));
  });
  return table(binary ? 'Rate in each arm' : 'Mean in each arm',
    [['Arm'], ['Role'], ['n', 'num'], [binary ? 'Rate' : 'Mean', 'num'], ['SD', 'num'],
      [`${level} CI of the ${binary ? 'rate' : 'mean'}`, 'num']],
    rows, 'arms');
}

function verdict(p, alpha) {
  if (p === null || p === undefined) return el('span', { class: 'verdict verdict-na' }, 'cannot be tested');
  const level = formatLevel(alpha);
  return p < alpha
    ? el('span', { class: 'verdict verdict-yes' }, `significant at ${level}`)
    : el('span', { class: 'verdict verdict-no' }, `not significant at ${level}`);
}

function comparisonsTable(result, mi, metric, notes) {
  const binary = metric.kind === 'binary';
  const level = formatLevel(result.options.confidence);
  const diffFormat = binary ? (v) => `${formatPercent(v, true)} pp` : (v) => formatSigned(v);
  const rows = (metric.comparisons ?? []).map((c, ci) => {
    const w = c.welch ?? {};
    const base = ['metrics', mi, 'comparisons', ci, 'welch'];
    const opts = (key, format) => ({ holder: w, key, notes, format });
    return el('tr', { 'data-arm': c.arm },
      el('th', { scope: 'row' }, c.arm, el('span', { class: 'vs' }, ` vs ${c.control}`)),
      numCell(w.difference, pointer(...base, 'difference'), opts('difference', diffFormat)),
      el('td', { class: 'num ci' },
        '[', num(w.ci_low, pointer(...base, 'ci_low'), opts('ci_low', diffFormat)), ', ',
        num(w.ci_high, pointer(...base, 'ci_high'), opts('ci_high', diffFormat)), ']'),
      numCell(w.p_value, pointer(...base, 'p_value'), opts('p_value', formatP)),
      el('td', {}, verdict(w.p_value, result.options.alpha)));
  });
  return table(`Difference from control (Welch’s t-test)`,
    [['Treatment arm'], ['Difference', 'num'], [`${level} CI`, 'num'],
      ['p-value', 'num'], ['Significance']],
    rows, 'comparisons');
}

// One sentence per treatment arm, for reading before the tables.
function headlines(result, metric) {
  const binary = metric.kind === 'binary';
  const fmt = binary ? (v) => `${formatPercent(v, true)} pp` : (v) => formatSigned(v);
  const level = formatLevel(result.options.confidence);
  return el('ul', { class: 'headlines' }, (metric.comparisons ?? []).map((c) => {
    const w = c.welch ?? {};
    if (w.difference === null || w.difference === undefined || w.p_value === null || w.p_value === undefined) {
      return el('li', {}, el('strong', {}, c.arm), `: no test (${Object.values(w.unavailable ?? {})[0] ?? 'not available'}).`);
    }
    const ci = w.ci_low !== null && w.ci_high !== null ? `, ${level} CI ${fmt(w.ci_low)} to ${fmt(w.ci_high)}` : '';
    return el('li', {}, el('strong', {}, c.arm), ` vs control: ${fmt(w.difference)}${ci}; `,
      `p = ${formatP(w.p_value)} — `, verdict(w.p_value, result.options.alpha), '.');
  }));
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

// Renders the whole result; returns what charts.js needs: [{canvas, metric, kind, confidence, arms}].
export function renderResults(container, result) {
  const charts = [];
  const sections = (result.metrics ?? []).map((metric, mi) => {
    const notes = new Notes();
    const binary = metric.kind === 'binary';
    const canvas = el('canvas', {
      role: 'img',
      'aria-label': `Bar chart: ${binary ? 'rate' : 'mean'} of ${metric.name} in each arm with `
        + `${formatLevel(result.options.confidence)} confidence intervals (the tables give the numbers).`,
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
    const tables = el('div', { class: 'metric-tables' },
      armsTable(result, metric, notes),
      comparisonsTable(result, mi, metric, notes));
    return el('section', { class: 'metric', 'data-metric': metric.name, 'aria-label': `Metric ${metric.name}` },
      el('header', { class: 'metric-head' },
        el('h3', {}, metric.name),
        el('span', { class: `kind kind-${metric.kind}` }, metric.kind === 'binary' ? 'binary (0/1)' : 'continuous')),
      headlines(result, metric),
      el('div', { class: 'metric-body' },
        tables,
        el('figure', { class: 'chart' },
          el('div', { class: 'chart-box' }, canvas),
          el('figcaption', {}, `${binary ? 'Rate' : 'Mean'} by arm, with ${formatLevel(result.options.confidence)} confidence intervals.`))),
      metricNote(mi, metric),
      binary ? el('p', { class: 'metric-note' }, 'Rates are in percent; differences in percentage points (pp).') : null,
      notes.render());
  });

  container.replaceChildren(
    el('h2', { class: 'results-title' }, 'Results', el('span', { class: 'file' }, result.input.file ? ` — ${result.input.file}` : '')),
    inputSection(result),
    ...sections);
  return charts;
}
