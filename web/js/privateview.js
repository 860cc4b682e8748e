// privateview.js — renders a private release (schema causeway.private/1, docs/privacy.md) into
// the element it is handed, and writes its Markdown export. Like view.js it knows no element ids
// and computes no statistic: every number shown is the release's own, in an element carrying
// data-field (a JSON Pointer into the release) and data-value (String of the value), and every
// table, chart, and export says "Differentially private (ε = …)".
import { el, formatNumber, formatCount, formatSigned, formatPercent, formatPercent1, formatP, formatLevel } from './view.js';
import { budgetText } from './ledger.js';

const DASH = '\u2014';
const MINUS = '\u2212';

// ---- labels ------------------------------------------------------------------------------------
// The guarantee as a reader should quote it. ε is the one asked for: the core spends at most that
// (ε′ = ⌊ε·2^20⌋/2^20 ≤ ε), so the label never understates the privacy loss.
export function privacyLabel(result) {
  const p = result.privacy ?? {};
  const delta = p.delta === null || p.delta === undefined ? '' : `, δ = ${budgetText(p.delta)}`;
  return `Differentially private (ε = ${budgetText(p.epsilon_requested)}${delta})`;
}

const INTERVALS = {
  convolution: { name: 'convolution', long: 'the exact noise law convolved with the normal sampling error' },
  wald: { name: 'Wald', long: 'the normal approximation of sampling error plus noise' },
  conservative: { name: 'conservative', long: 'a finite-sample union bound (guaranteed coverage, wider)' },
};

const MECHANISMS = { discrete_laplace: 'discrete Laplace', discrete_gaussian: 'discrete Gaussian' };
const STATISTICS = { table: 'table of 1s and 0s', count: 'count', sum: 'sum', sum_of_squares: 'sum of squares' };

function kindName(metric) {
  return metric.kind === 'binary' ? 'yes/no (0/1)' : `number in [${metric.bounds?.[0]}, ${metric.bounds?.[1]}]`;
}

// ---- formatting ----------------------------------------------------------------------------------
function pointer(...parts) {
  return parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

// A budget spent, to 4 significant digits rounded up: a privacy loss is never shown smaller
// than it is (data-value keeps the exact number).
function budgetUp(v) {
  if (!isNumber(v) || v <= 0) return budgetText(v);
  const p = Number(v.toPrecision(4));
  if (p >= v) return budgetText(p);
  const step = 10 ** (Math.floor(Math.log10(v)) - 3);
  return budgetText(Number((p + step).toPrecision(4)));
}

// The released integers are exact decimal text: group the digits, keep every one.
function groupText(text) {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(String(text));
  if (!m) return String(text);
  return `${m[1] ? MINUS : ''}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}

function formats(metric) {
  const binary = metric.kind === 'binary';
  return {
    estimate: binary ? (v) => `${formatPercent(v)}%` : (v) => formatNumber(v),
    difference: binary ? (v) => `${formatPercent(v, true)} pp` : (v) => formatSigned(v),
    lift: (v) => formatPercent1(v, true),
  };
}

// A value of the release as an element (data-field, data-value); null is "—" with its reason.
function num(value, field, format = formatNumber, reason = 'not available') {
  if (!isNumber(value)) {
    return el('span', { class: 'na', 'data-field': field, 'data-value': String(value ?? null), title: reason }, DASH);
  }
  return el('span', { 'data-field': field, 'data-value': String(value) }, format(value));
}

function text(value, field, format = String) {
  return el('span', { 'data-field': field, 'data-value': String(value) }, format(value));
}

function interval(pair, field, format) {
  if (!Array.isArray(pair)) return num(null, field, format);
  return el('span', { class: 'ci' }, '[', num(pair[0], `${field}/0`, format), ', ', num(pair[1], `${field}/1`, format), ']');
}

function dpTag(label) {
  return el('span', { class: 'dp-tag' }, label);
}

function reasonOf(text) {
  return String(text ?? '').replace(/^(insufficient data|unavailable):\s*/i, '');
}

// ---- one metric ------------------------------------------------------------------------------------
function armsTable(result, mi, metric, label) {
  const binary = metric.kind === 'binary';
  const level = formatLevel(result.privacy.confidence);
  const f = formats(metric);
  const rows = metric.arms.map((arm, ai) => {
    const base = pointer('metrics', mi, 'arms', ai);
    const estimate = arm.suppressed
      ? [el('td', { class: 'suppressed', colspan: 2 },
        el('span', { 'data-field': `${base}/suppressed`, 'data-value': arm.suppressed }, 'insufficient data'),
        el('span', { class: 'reason' }, `: ${reasonOf(arm.suppressed)}`))]
      : [el('td', { class: 'num' }, num(binary ? arm.rate : arm.mean, `${base}/${binary ? 'rate' : 'mean'}`, f.estimate)),
        el('td', { class: 'num' }, interval(arm.ci, `${base}/ci`, f.estimate))];
    return el('tr', { class: arm.control ? 'is-control' : null, 'data-arm': arm.name },
      el('th', { scope: 'row' }, arm.name),
      el('td', {}, el('span', { class: arm.control ? 'role role-control' : 'role role-treatment' },
        arm.control ? 'control' : 'treatment')),
      el('td', { class: 'num' }, num(arm.n, `${base}/n`, formatCount)),
      ...estimate);
  });
  return el('div', { class: 'table-wrap' },
    el('table', { class: 'arms private-arms' },
      el('caption', {}, `${metric.name}: ${binary ? 'rate' : 'mean'} in each arm `, dpTag(label),
        el('span', { class: 'caption-note' }, `Noisy n and ${binary ? 'rate' : 'mean'} with a ${level} interval `
          + 'that includes the added noise.')),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Arm'), el('th', { scope: 'col' }, 'Role'),
        el('th', { scope: 'col', class: 'num' }, 'Noisy n'),
        el('th', { scope: 'col', class: 'num' }, binary ? 'Rate' : 'Mean'),
        el('th', { scope: 'col', class: 'num' }, `${level} interval`))),
      el('tbody', {}, rows)));
}

// The noisy integers themselves, exactly as released: what every other number is computed from.
const RELEASED = {
  binary: [['ones', 'Noisy 1s'], ['zeros', 'Noisy 0s']],
  numeric: [['count', 'Noisy count'], ['sum', 'Noisy sum'], ['sum_y', 'Σy (centred, resolution units)'],
    ['sum_w', 'Σ of squares (centred, coarsened)']],
};

function releasedTable(mi, metric, label) {
  const columns = RELEASED[metric.kind === 'binary' ? 'binary' : 'numeric']
    .filter(([key]) => metric.arms.some((arm) => arm.released?.[key] !== undefined));
  const rows = metric.arms.map((arm, ai) => el('tr', { 'data-arm': arm.name },
    el('th', { scope: 'row' }, arm.name),
    columns.map(([key]) => el('td', { class: 'num' }, arm.released?.[key] === undefined
      ? num(null, pointer('metrics', mi, 'arms', ai, 'released', key))
      : text(arm.released[key], pointer('metrics', mi, 'arms', ai, 'released', key), groupText)))));
  return el('details', { class: 'more-stats released' },
    el('summary', {}, 'The released noisy integers'),
    el('div', { class: 'table-wrap' },
      el('table', { class: 'details-table released-table' },
        el('caption', {}, `${metric.name}: released values `, dpTag(label),
          el('span', { class: 'caption-note' }, 'Exact true values plus integer noise; every number above is computed from these alone.')),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Arm'),
          columns.map(([, name]) => el('th', { scope: 'col', class: 'num' }, name)))),
        el('tbody', {}, rows))));
}

function comparisonsTable(result, mi, metric, label) {
  const level = formatLevel(result.privacy.confidence);
  const method = INTERVALS[result.privacy.interval] ?? { name: result.privacy.interval, long: '' };
  const f = formats(metric);
  const several = (metric.comparisons ?? []).length >= 2;
  const rows = (metric.comparisons ?? []).map((c, ci) => {
    const base = pointer('metrics', mi, 'comparisons', ci);
    const head = el('th', { scope: 'row' }, c.arm, el('span', { class: 'vs' }, ` vs ${c.control}`));
    if (c.unavailable) {
      return el('tr', { 'data-arm': c.arm }, head,
        el('td', { class: 'suppressed', colspan: several ? 5 : 4 },
          el('span', { 'data-field': `${base}/unavailable`, 'data-value': c.unavailable }, 'unavailable'),
          el('span', { class: 'reason' }, `: ${reasonOf(c.unavailable)}`)));
    }
    const lift = isNumber(c.relative_lift)
      ? [num(c.relative_lift, `${base}/relative_lift`, f.lift), ' ', interval(c.relative_ci, `${base}/relative_ci`, f.lift)]
      : [num(null, `${base}/relative_lift`, f.lift, reasonOf(c.relative_unavailable) || 'not available'),
        c.relative_unavailable ? el('span', { class: 'reason' }, ` ${reasonOf(c.relative_unavailable)}`) : null];
    return el('tr', { 'data-arm': c.arm }, head,
      el('td', { class: 'num' }, num(c.difference, `${base}/difference`, f.difference), ' ',
        interval(c.ci, `${base}/ci`, f.difference)),
      el('td', { class: 'num' }, lift),
      el('td', { class: 'num' }, num(c.p_value, `${base}/p_value`, formatP)),
      several ? el('td', { class: 'num' }, num(c.p_adjusted, `${base}/p_adjusted`, formatP)) : null);
  });
  return el('div', { class: 'table-wrap' },
    el('table', { class: 'comparisons private-comparisons' },
      el('caption', {}, `${metric.name}: difference from control `, dpTag(label),
        el('span', { class: 'caption-note' }, `${level} ${method.name} intervals (${method.long}), for the mean of the `
          + `${metric.kind === 'binary' ? 'outcome' : 'outcome clamped to its bounds'}; two-sided p-values`
          + `${several ? ', Holm-adjusted across the comparisons with the control' : ''}. Relative lift = treatment ÷ control − 1.`)),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Treatment arm'),
        el('th', { scope: 'col', class: 'num' }, `Difference [${level} interval]`),
        el('th', { scope: 'col', class: 'num' }, `Relative lift [${level} interval]`),
        el('th', { scope: 'col', class: 'num' }, 'p-value'),
        several ? el('th', { scope: 'col', class: 'num' }, 'p (Holm)') : null)),
      el('tbody', {}, rows)));
}

// ---- the privacy block ---------------------------------------------------------------------------------
function fact(term, ...value) {
  return el('div', { class: 'stat' }, el('dt', {}, term), el('dd', {}, ...value));
}

function privacyBlock(result, label) {
  const p = result.privacy;
  const zcdp = p.accounting === 'zCDP';
  const method = INTERVALS[p.interval] ?? { name: p.interval, long: '' };
  const budget = budgetUp;
  const stats = (p.statistics ?? []).map((s, i) => {
    const base = pointer('privacy', 'statistics', i);
    return el('tr', {},
      el('th', { scope: 'row' }, s.metric),
      el('td', {}, STATISTICS[s.statistic] ?? s.statistic),
      el('td', {}, text(s.mechanism, `${base}/mechanism`, (v) => MECHANISMS[v] ?? v)),
      el('td', { class: 'num' }, num(s.sensitivity, `${base}/sensitivity`, formatCount), el('span', { class: 'unit' }, ` ${s.sensitivity_unit}`)),
      el('td', { class: 'num' }, isNumber(s.sigma2)
        ? ['σ² = ', num(s.sigma2, `${base}/sigma2`, formatCount)]
        : ['b = ', num(s.scale, `${base}/scale`, formatNumber)]),
      el('td', { class: 'num' }, isNumber(s.rho)
        ? ['ρ = ', num(s.rho, `${base}/rho`, budget)]
        : ['ε = ', num(s.epsilon, `${base}/epsilon`, budget)]),
      el('td', { class: 'num' }, num(s.noise_sd, `${base}/noise_sd`, formatNumber)));
  });
  return el('section', { class: 'privacy-block', 'aria-label': 'Privacy of this release' },
    el('h4', {}, 'Privacy of this release ', dpTag(label)),
    el('dl', { class: 'stats privacy-facts' },
      fact('ε spent', num(p.spent?.epsilon, '/privacy/spent/epsilon', budget)),
      fact('ε claimed', num(p.epsilon, '/privacy/epsilon', budget),
        p.epsilon !== p.epsilon_requested ? el('span', { class: 'help' }, ` (asked: ${budgetText(p.epsilon_requested)}, rounded down to a multiple of 2⁻²⁰)`) : null),
      fact('δ', p.delta === null || p.delta === undefined ? 'none (pure ε-DP)' : num(p.delta, '/privacy/delta', budget)),
      zcdp ? fact('ρ (zCDP)', num(p.spent?.rho, '/privacy/spent/rho', budget), ' spent') : null,
      fact('Mechanism', zcdp ? 'discrete Gaussian noise (zCDP, shown as ε and δ)' : 'discrete Laplace noise (pure ε-DP)'),
      fact('One person is', p.unit === 'row' ? 'one row' : ['all rows with the same ', el('code', {}, p.unit)]),
      fact('Resolution', text(p.resolution, '/privacy/resolution')),
      fact('Intervals', `${formatLevel(p.confidence)}, ${method.name}`)),
    el('p', { class: 'help' }, `Neighbouring datasets: ${p.neighbours}. Budget split: ${p.budget_split}.`),
    el('div', { class: 'table-wrap' },
      el('table', { class: 'noise-table' },
        el('caption', {}, 'Noise added to each released statistic ', dpTag(label)),
        el('thead', {}, el('tr', {},
          el('th', { scope: 'col' }, 'Metric'), el('th', { scope: 'col' }, 'Statistic'),
          el('th', { scope: 'col' }, 'Mechanism'), el('th', { scope: 'col', class: 'num' }, 'Sensitivity'),
          el('th', { scope: 'col', class: 'num' }, 'Scale'), el('th', { scope: 'col', class: 'num' }, 'Budget'),
          el('th', { scope: 'col', class: 'num' }, 'Noise SD'))),
        el('tbody', {}, stats))));
}

// ---- the whole release ---------------------------------------------------------------------------------
// Renders the release into container. text is the release exactly as the core wrote it (the JSON
// export); earlier is the ISO time when this is a release made earlier in the session, else null.
// Returns what charts.js's renderPrivateCharts needs, plus the Markdown export:
// {charts: [{canvas, metric, kind, label, confidence, interval, arms: [{name, control, mean,
// ci_low, ci_high, suppressed}]}], markdown}.
export function renderRelease(container, result, { text: releaseText, earlier = null } = {}) {
  const label = privacyLabel(result);
  const markdown = releaseMarkdown(result);
  const level = formatLevel(result.privacy.confidence);
  const charts = [];
  const sections = (result.metrics ?? []).map((metric, mi) => {
    const binary = metric.kind === 'binary';
    const canvas = el('canvas', {
      role: 'img',
      'aria-label': `Bar chart, ${label}: noisy ${binary ? 'rate' : 'mean'} of ${metric.name} in each arm with `
        + `${level} intervals that include the noise (the table gives the numbers).`,
    });
    charts.push({
      canvas,
      metric: metric.name,
      kind: binary ? 'binary' : 'numeric',
      label,
      confidence: result.privacy.confidence,
      interval: INTERVALS[result.privacy.interval]?.name ?? result.privacy.interval,
      arms: metric.arms.map((arm) => ({
        name: arm.name,
        control: arm.control,
        mean: binary ? arm.rate : arm.mean,
        ci_low: arm.ci?.[0] ?? null,
        ci_high: arm.ci?.[1] ?? null,
        suppressed: Boolean(arm.suppressed),
      })),
    });
    return el('section', { class: 'metric private-metric', 'data-metric': metric.name, 'aria-label': `Metric ${metric.name}` },
      el('header', { class: 'metric-head' },
        el('h4', {}, metric.name),
        el('span', { class: `kind kind-${binary ? 'binary' : 'continuous'}` }, kindName(metric)),
        dpTag(label)),
      el('div', { class: 'metric-body' },
        armsTable(result, mi, metric, label),
        el('figure', { class: 'chart' },
          el('div', { class: 'chart-box' }, canvas),
          el('figcaption', {}, `${label}: ${binary ? 'rate' : 'mean'} by arm with ${level} intervals that include the noise. `,
            el('button', { type: 'button', class: 'button small', 'data-export': 'png', 'data-index': String(mi) },
              'Download PNG')))),
      comparisonsTable(result, mi, metric, label),
      releasedTable(mi, metric, label),
      binary ? el('p', { class: 'metric-note' }, 'Rates are in percent; differences in percentage points (pp).') : null);
  });

  const earlierNote = earlier
    ? el('p', { class: 'release-earlier', 'data-earlier': earlier },
      el('strong', {}, 'This is the release made earlier in this session'),
      ` (${new Date(earlier).toLocaleTimeString('en-GB')}): the same data and declarations give back the same noisy `
        + 'numbers, so asking again reveals nothing new and spends no more ε.')
    : null;

  container.replaceChildren(...[
    el('header', { class: 'release-head' },
      el('h3', {}, 'Private release', el('span', { class: 'file' }, result.input?.file ? ` — ${result.input.file}` : '')),
      el('p', { class: 'dp-label' }, label)),
    earlierNote,
    el('p', { class: 'release-intro' }, 'Every number below is computed from noisy counts and sums only; it is safe to paste '
      + 'where others can read it. Each new release about the same people spends more ε (see the ledger).'),
    ...sections,
    privacyBlock(result, label),
    (result.notes ?? []).length ? el('ul', { class: 'release-notes' }, result.notes.map((n) => el('li', {}, n))) : null,
    exportsBlock(label, markdown, releaseText)].filter(Boolean));
  return { charts, markdown };
}

// A read-only text to copy, with its buttons (main.js acts on data-export).
function exportText(kind, name, value, rows, copy, download) {
  return el('div', { class: 'export' },
    el('label', {}, el('span', { class: 'export-name' }, name),
      el('textarea', { class: 'export-text', 'data-export-text': kind, readonly: true, rows, spellcheck: 'false' }, value)),
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'button small', 'data-export': `${kind}-copy` }, copy),
      el('button', { type: 'button', class: 'button small', 'data-export': `${kind}-download` }, download)));
}

function exportsBlock(label, markdown, releaseText) {
  return el('section', { class: 'exports', 'aria-label': 'Export this release' },
    el('h4', {}, 'Share this release ', dpTag(label)),
    el('p', { class: 'help' }, 'Markdown for a wiki or a ticket, the JSON as the core wrote it, and a PNG of each '
      + 'chart (under its table). Each is labelled with its ε.'),
    exportText('markdown', 'Markdown', markdown, 8, 'Copy Markdown', 'Download .md'),
    exportText('json', 'JSON (the release itself, as the core wrote it)', releaseText, 4, 'Copy JSON', 'Download .json'),
    el('p', { class: 'export-status help', role: 'status' }));
}

// ---- Markdown ------------------------------------------------------------------------------------------
function cell(textValue) {
  return String(textValue).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function mdRow(cells) {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function mdValue(v, format) {
  return isNumber(v) ? format(v) : DASH;
}

function mdInterval(pair, format) {
  return Array.isArray(pair) ? `[${mdValue(pair[0], format)}, ${mdValue(pair[1], format)}]` : DASH;
}

// The release as Markdown: a heading and a line with the guarantee, then per metric the arms and
// the comparisons, then the privacy facts. Only the release's own numbers.
export function releaseMarkdown(result) {
  const p = result.privacy;
  const label = privacyLabel(result);
  const level = formatLevel(p.confidence);
  const method = INTERVALS[p.interval] ?? { name: p.interval, long: '' };
  const lines = [
    `## A/B test results${result.input?.file ? ` — ${result.input.file}` : ''} — ${label}`,
    '',
    `**${label}.** Every number is computed from counts and sums with random noise added (${p.accounting === 'zCDP'
      ? 'discrete Gaussian, zCDP' : 'discrete Laplace'}). ${p.unit === 'row' ? 'One row is one person.'
      : `One ${p.unit} is one person.`} Intervals (${level}, ${method.name}) include the noise.`,
  ];
  (result.metrics ?? []).forEach((metric) => {
    const binary = metric.kind === 'binary';
    const f = formats(metric);
    lines.push('', `### ${metric.name}: ${kindName(metric)} — ${label}`, '',
      mdRow(['Arm', 'Noisy n', binary ? 'Rate' : 'Mean', `${level} interval`]),
      '|---|---:|---:|---:|');
    for (const arm of metric.arms) {
      const name = `${arm.name}${arm.control ? ' (control)' : ''}`;
      if (arm.suppressed) lines.push(mdRow([name, formatCount(arm.n), 'insufficient data', reasonOf(arm.suppressed)]));
      else lines.push(mdRow([name, formatCount(arm.n), mdValue(binary ? arm.rate : arm.mean, f.estimate), mdInterval(arm.ci, f.estimate)]));
    }
    const comparisons = metric.comparisons ?? [];
    if (comparisons.length) {
      const several = comparisons.length >= 2;
      lines.push('', mdRow(['Treatment arm', `Difference [${level} interval]`, `Relative lift [${level} interval]`, 'p-value',
        ...(several ? ['p (Holm)'] : [])]), several ? '|---|---:|---:|---:|---:|' : '|---|---:|---:|---:|');
      for (const c of comparisons) {
        const name = `${c.arm} vs ${c.control}`;
        if (c.unavailable) {
          lines.push(mdRow([name, `unavailable: ${reasonOf(c.unavailable)}`, DASH, DASH, ...(several ? [DASH] : [])]));
          continue;
        }
        const lift = isNumber(c.relative_lift)
          ? `${f.lift(c.relative_lift)} ${mdInterval(c.relative_ci, f.lift)}`
          : `${DASH}${c.relative_unavailable ? ` (${reasonOf(c.relative_unavailable)})` : ''}`;
        lines.push(mdRow([name, `${mdValue(c.difference, f.difference)} ${mdInterval(c.ci, f.difference)}`, lift,
          mdValue(c.p_value, formatP), ...(several ? [mdValue(c.p_adjusted, formatP)] : [])]));
      }
    }
  });
  const spent = `ε = ${budgetUp(p.spent?.epsilon)}${p.delta === null || p.delta === undefined ? '' : `, δ = ${budgetText(p.delta)}`}`;
  lines.push('', `### Privacy — ${label}`, '',
    `- Spent: ${spent} (${p.accounting === 'zCDP' ? `zCDP, ρ = ${budgetUp(p.spent?.rho)}` : 'pure ε-DP'}). `
      + 'Separate releases about the same people add up their ε.',
    `- Protected unit: ${p.unit === 'row' ? 'one row' : `all rows with the same ${p.unit}`}; neighbouring datasets: ${p.neighbours}.`,
    `- Declared before reading the data: arms ${p.arms.join(', ')} (control ${p.control}); resolution ${p.resolution}`
      + `${(result.metrics ?? []).filter((m) => m.kind !== 'binary').map((m) => `; ${m.name} clamped to [${m.bounds[0]}, ${m.bounds[1]}]`).join('')}.`,
    `- Intervals: ${level}, ${method.name} (${method.long}); they include the noise but not a bias from clamping.`,
    ...(result.notes ?? []).map((n) => `- ${n}`),
    '', `_${label} · Causeway ${result.version ?? ''}_`.replace(/ _$/, '_'));
  return `${lines.join('\n')}\n`;
}

// ---- the ledger ----------------------------------------------------------------------------------------
// ledger.js's entries as a table: per dataset, the releases made in this session and the sums of
// their ε (and δ), which is what the people in that file have been exposed to.
export function renderLedger(container, entries) {
  if (entries.length === 0) {
    container.replaceChildren(el('p', { class: 'help ledger-empty' }, 'No release yet in this session.'));
    return;
  }
  const time = (iso) => new Date(iso).toLocaleTimeString('en-GB');
  const rows = entries.map((d) => el('tr', {
    'data-dataset': d.name, 'data-releases': String(d.count), 'data-epsilon': d.epsilon, 'data-delta': d.delta ?? '',
  },
  el('th', { scope: 'row' }, d.name),
  el('td', { class: 'num' }, String(d.count)),
  el('td', { class: 'num ledger-total' }, `ε = ${d.epsilon}`),
  el('td', { class: 'num' }, d.delta === null ? DASH : `δ = ${d.delta}`),
  el('td', { class: 'ledger-list' }, d.releases.flatMap((r, i) => [i ? ', ' : '',
    `ε = ${r.epsilon}${r.delta === null ? '' : ` (δ = ${r.delta})`} at ${time(r.at)}`]))));
  container.replaceChildren(el('div', { class: 'table-wrap' },
    el('table', { class: 'ledger-table' },
      el('caption', {}, 'Per file: the releases made, and the ε (and δ) they add up to'),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'File'), el('th', { scope: 'col', class: 'num' }, 'Releases'),
        el('th', { scope: 'col', class: 'num' }, 'Total ε'), el('th', { scope: 'col', class: 'num' }, 'Total δ'),
        el('th', { scope: 'col' }, 'Each release'))),
      el('tbody', {}, rows))));
}
