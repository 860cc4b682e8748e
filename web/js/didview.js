// didview.js — renders the core's difference-in-differences result (schema causeway.did/1, the
// JSON of `causeway did`). Like view.js it knows no element ids and computes no statistics:
// every number shown carries data-field (a JSON Pointer into the result) and data-value
// (String of the full-precision number, "null" for a missing one). Returns what charts.js
// needs to draw the group means over time and, for an event study, the coefficients.
import { el, formatNumber, formatCount, formatP } from './view.js';

const DASH = '\u2014';
const SE_TYPES = [
  ['classical', 'Classical'],
  ['hc1', 'HC1 (robust)'],
  ['cr1', 'Clustered by unit (CR1)'],
];

// The standard-error types the result has (no CR1 without a unit column).
function seTypes(coef) {
  return SE_TYPES.filter(([key]) => coef?.[key]);
}

function num(value, field, { format = formatNumber, reason = null, tag = 'span' } = {}) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    const why = reason || 'not available';
    return el(tag, { class: 'na', 'data-field': field, 'data-value': String(value ?? null), title: why }, DASH);
  }
  return el(tag, { 'data-field': field, 'data-value': String(value) }, format(value));
}

function cell(value, field, opts) {
  return el('td', { class: 'num' }, num(value, field, opts));
}

function interval(block, base) {
  return [ '[', num(block.ci_low, `${base}/ci_low`, { reason: block.unavailable }), ', ',
    num(block.ci_high, `${base}/ci_high`, { reason: block.unavailable }), ']' ];
}

function level(alpha) {
  return `${Number(((1 - alpha) * 100).toPrecision(6))}%`;
}

function wrapTable(caption, head, rows, className) {
  return el('div', { class: 'table-wrap' },
    el('table', { class: className },
      el('caption', {}, caption),
      el('thead', {}, head),
      el('tbody', {}, rows)));
}

// Groups × periods: each cell's mean, with its n (and SD) beneath.
function cellsTable(r) {
  const index = new Map(r.cells.map((c, i) => [`${c.treated}|${c.period}`, i]));
  const start = r.options.start ?? r.options.post;
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Group'),
    r.periods.map((p) => el('th', { scope: 'col', class: 'num' }, p,
      r.event_study ? (p === start ? ' (start)' : p === r.reference ? ' (reference)' : '')
        : (p === r.options.post ? ' (post)' : ' (pre)'))));
  const rows = [true, false].map((treated) => el('tr', { 'data-group': treated ? 'treated' : 'control' },
    el('th', { scope: 'row' }, treated ? `Treated (${r.options.group} = ${r.options.treated})` : 'Control (the rest)'),
    r.periods.map((p) => {
      const i = index.get(`${treated}|${p}`);
      if (i === undefined) return el('td', { class: 'num na' }, DASH);
      const c = r.cells[i];
      const base = `/cells/${i}`;
      return el('td', { class: 'num' }, num(c.mean, `${base}/mean`),
        el('span', { class: 'cell-n' }, 'n = ', num(c.n, `${base}/n`, { format: formatCount }),
          ', SD ', num(c.sd, `${base}/sd`)));
    })));
  return wrapTable(`Mean ${r.options.outcome} by group and period`, head, rows, 'did-cells');
}

// One coefficient (regression or event study) by standard-error type.
function coefficientTable(r, coef, base, caption) {
  const head = el('tr', {}, ['Standard error', 'Estimate', 'SE', 'df', `${level(r.options.alpha)} CI`, 'p']
    .map((h, i) => el('th', { scope: 'col', class: i ? 'num' : null }, h)));
  const rows = seTypes(coef).map(([key, name]) => {
    const b = coef[key];
    const reason = b.unavailable;
    return el('tr', { 'data-se': key },
      el('th', { scope: 'row' }, name),
      cell(coef.estimate, `${base}/estimate`),
      cell(b.se, `${base}/${key}/se`, { reason }),
      cell(b.df, `${base}/${key}/df`, { format: formatCount, reason }),
      el('td', { class: 'num' }, interval(b, `${base}/${key}`)),
      cell(b.p_value, `${base}/${key}/p_value`, { format: formatP, reason }));
  });
  return wrapTable(caption, head, rows, 'did-coefs');
}

// Event study: a row per period, the three standard-error types side by side.
function eventTable(r) {
  const types = seTypes(r.event_study[0]);
  const head = [
    el('tr', {}, el('th', { scope: 'col', rowspan: 2 }, 'Period'), el('th', { scope: 'col', rowspan: 2, class: 'num' }, 'Relative'),
      el('th', { scope: 'col', rowspan: 2, class: 'num' }, 'Estimate'),
      types.map(([, name]) => el('th', { scope: 'colgroup', colspan: 3, class: 'num' }, name))),
    el('tr', {}, types.map(() => ['SE', `${level(r.options.alpha)} CI`, 'p']
      .map((h) => el('th', { scope: 'col', class: 'num' }, h))).flat()),
  ];
  const rows = r.event_study.map((e, i) => {
    const base = `/event_study/${i}`;
    return el('tr', { 'data-period': e.period },
      el('th', { scope: 'row' }, e.period),
      cell(e.relative, `${base}/relative`, { format: (v) => (v > 0 ? `+${v}` : String(v).replace('-', '\u2212')) }),
      cell(e.estimate, `${base}/estimate`),
      types.map(([key]) => {
        const b = e[key];
        return [cell(b.se, `${base}/${key}/se`, { reason: b.unavailable }),
          el('td', { class: 'num' }, interval(b, `${base}/${key}`)),
          cell(b.p_value, `${base}/${key}/p_value`, { format: formatP, reason: b.unavailable })];
      }).flat());
  });
  return wrapTable(`Event study: treated × period effects of ${r.options.outcome}, relative to ${r.reference} (the last pre-period)`,
    head, rows, 'did-event');
}

function pretrendText(r) {
  const t = r.pretrend;
  const se = { cr1: 'clustered (CR1)', hc1: 'robust (HC1)', classical: 'classical' }[t.se_type] ?? t.se_type;
  if (t.unavailable) {
    return el('p', { class: 'did-pretrend' }, el('strong', {}, 'Pre-trend test: '), `not available — ${t.unavailable}.`);
  }
  const rejected = t.p_f < r.options.alpha;
  return el('p', { class: 'did-pretrend', 'data-rejected': String(rejected) },
    el('strong', {}, 'Pre-trend test: '),
    'the joint Wald test that the ', num(t.q, '/pretrend/q', { format: formatCount }),
    ' pre-period effects are all zero, with ', se, ' standard errors, gives F(',
    num(t.df1, '/pretrend/df1', { format: formatCount }), ', ', num(t.df2, '/pretrend/df2', { format: formatCount }),
    ') = ', num(t.f, '/pretrend/f'), ', p = ', num(t.p_f, '/pretrend/p_f', { format: formatP }),
    ' (Wald χ² = ', num(t.wald, '/pretrend/wald'), ', p = ', num(t.p_chisq, '/pretrend/p_chisq', { format: formatP }), '). ',
    rejected
      ? 'The groups already moved apart before the treatment: the parallel-trends assumption is in doubt.'
      : 'No evidence that the groups trended differently before the treatment.');
}

function inputLine(r) {
  const i = r.input;
  return el('p', { class: 'did-input' },
    num(i.rows_used, '/input/rows_used', { format: formatCount }), ' of ',
    num(i.rows_read, '/input/rows_read', { format: formatCount }), ' rows used',
    i.units === null || i.units === undefined ? '' : [' (', num(i.units, '/input/units', { format: formatCount }), ' units)'],
    '; ', num(i.missing_outcome, '/input/missing_outcome', { format: formatCount }), ' without the outcome',
    r.options.balanced ? ['; ', num(i.unbalanced_rows, '/input/unbalanced_rows', { format: formatCount }),
      ' of units missing a period (balanced panel)'] : '', '.');
}

function chartFigure(label, caption) {
  const canvas = el('canvas', { role: 'img', 'aria-label': label });
  return { canvas, figure: el('figure', { class: 'chart' }, el('div', { class: 'chart-box' }, canvas), el('figcaption', {}, caption)) };
}

// result: the parsed causeway.did/1 document. Returns {means, events} for charts.js.
export function renderDid(container, r) {
  const o = r.options;
  const event = Array.isArray(r.event_study);
  const parts = [el('h3', {}, event ? `Event study of ${o.outcome}` : `Difference in differences of ${o.outcome}`), inputLine(r), cellsTable(r)];

  if (!event) {
    const ci = r.regression.coefficients.findIndex((c) => c.term === 'treated:post');
    parts.push(el('p', { class: 'did-headline' }, 'Difference in differences: ',
      num(r.difference_in_differences, '/difference_in_differences', { tag: 'strong' }),
      ` (change in the treated group from ${o.pre} to ${o.post}, minus the change in the control group).`));
    if (ci >= 0) {
      parts.push(coefficientTable(r, r.regression.coefficients[ci], `/regression/coefficients/${ci}`,
        'Regression y ~ treated + post + treated:post, the treated:post coefficient'));
    }
  } else {
    parts.push(eventTable(r), pretrendText(r));
  }
  parts.push(el('p', { class: 'help' }, 'Regression on ', num(r.regression.n, '/regression/n', { format: formatCount }), ' rows',
    r.regression.clusters === null ? ' (no unit column: no clustered errors)'
      : [', ', num(r.regression.clusters, '/regression/clusters', { format: formatCount }), ' clusters'],
    r.regression.dropped.length ? `; collinear terms dropped: ${r.regression.dropped.join(', ')}` : '', '.'));

  const start = event ? o.start : o.post;
  const means = chartFigure(`Line chart: mean ${o.outcome} by period in the treated and control groups`,
    `Mean ${o.outcome} by period; the dashed line marks the treatment start (${start}).`);
  const charts = { means: { canvas: means.canvas, periods: r.periods, cells: r.cells, start, outcome: o.outcome }, events: null };
  const figures = [means.figure];
  if (event) {
    const se = r.pretrend?.se_type && r.event_study.every((e) => !e[r.pretrend.se_type]?.unavailable) ? r.pretrend.se_type : 'hc1';
    const ev = chartFigure(`Event-study coefficients of ${o.outcome} with ${level(o.alpha)} intervals`,
      `Treated × period effects relative to ${r.reference} with ${level(o.alpha)} ${se.toUpperCase()} intervals.`);
    charts.events = { canvas: ev.canvas, periods: r.periods, reference: r.reference, events: r.event_study, se, start };
    figures.push(ev.figure);
  }
  parts.push(el('div', { class: 'did-charts' }, figures));
  container.replaceChildren(...parts);
  return charts;
}
