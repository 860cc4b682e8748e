// main.js — the page's controller and the only module that knows element ids: it wires the
// events, asks the worker (through client.js) for a preview and an analysis, and hands the
// core's JSON to view.js and charts.js. The bundled sample is analyzed on load. The difference-
// in-differences section (didview.js) runs on the same file in a worker of its own. The "Share
// privately" mode asks for the declarations of a differentially private release, has the worker
// make it, and shows only that (privateview.js), remembered per session by ledger.js.
import { WorkerClient } from './client.js';
import { guessRoles, guessControl, guessMetrics, summaryMetrics, isNumericColumn, isIdColumn, isVariantCandidate, metricKind } from './guess.js';
import { el, renderPreview, renderResults, errorText, warningText, formatCount, formatBytes, formatLevel } from './view.js';
import { renderCharts, destroyCharts } from './charts.js';
import { createPowerPanel } from './powerpanel.js';
import { createDidPanel } from './didpanel.js';
import { renderPrivateCharts, destroyPrivateCharts, privateChartPng } from './charts.js';
import { renderRelease, renderLedger, privacyLabel } from './privateview.js';
import { sessionKey, settle, ledgerEntries } from './ledger.js';

const SAMPLE_URL = 'samples/hillstrom.csv';
const SAMPLE_NAME = 'hillstrom.csv';

const $ = (id) => document.getElementById(id);
const ui = {
  dropZone: $('drop-zone'),
  fileInput: $('file-input'),
  fileStatus: $('file-status'),
  alert: $('alert'),
  setupSection: $('setup-section'),
  preview: $('preview'),
  form: $('setup-form'),
  setupNote: $('setup-note'),
  variant: $('variant-select'),
  control: $('control-select'),
  confidence: $('confidence-select'),
  correction: $('correction-select'),
  split: $('split-input'),
  metrics: $('metric-list'),
  advanced: $('advanced'),
  advancedState: $('advanced-state'),
  bootstrapCheck: $('bootstrap-check'),
  bootstrap: $('bootstrap-input'),
  seed: $('seed-input'),
  winsorize: $('winsorize-select'),
  winsorizeTail: $('winsorize-tail-select'),
  winsorizeHelp: $('winsorize-help'),
  unit: $('unit-select'),
  fisher: $('fisher-check'),
  covariates: $('covariate-list'),
  adjust: $('adjust-select'),
  covariateHelp: $('covariate-help'),
  preMetric: $('pre-metric-select'),
  preMetricHelp: $('pre-metric-help'),
  analyze: $('analyze-button'),
  cancel: $('cancel-button'),
  progressRow: $('progress-row'),
  progress: $('progress'),
  progressText: $('progress-text'),
  results: $('results'),
  powerForm: $('power-form'),
  powerN: $('power-n'),
  powerP1: $('power-p1'),
  powerP2: $('power-p2'),
  powerDelta: $('power-delta'),
  powerSd: $('power-sd'),
  powerPower: $('power-power'),
  powerAlpha: $('power-alpha'),
  powerAlternative: $('power-alternative'),
  powerStrict: $('power-strict'),
  powerAnswer: $('power-answer'),
  powerSource: $('power-source'),
  didSection: $('did-section'),
  didForm: $('did-form'),
  didOutcome: $('did-outcome'),
  didGroup: $('did-group'),
  didTreated: $('did-treated'),
  didPeriod: $('did-period'),
  didDesign: $('did-design'),
  didWhen: $('did-when'),
  didWhenLabel: $('did-when-label'),
  didWhenHelp: $('did-when-help'),
  didOrder: $('did-order'),
  didUnit: $('did-unit'),
  didBalanced: $('did-balanced'),
  didRun: $('did-run'),
  didStatus: $('did-status'),
  didResults: $('did-results'),
  privateSection: $('private-section'),
  privateToggle: $('private-toggle'),
  privateBody: $('private-body'),
  privateForm: $('private-form'),
  privateVariant: $('private-variant'),
  privateArms: $('private-arms'),
  privateControl: $('private-control'),
  privateUnit: $('private-unit'),
  privateMetrics: $('private-metrics'),
  privateEpsilon: $('private-epsilon'),
  privateDelta: $('private-delta'),
  privateResolution: $('private-resolution'),
  privateInterval: $('private-interval'),
  privateConfidence: $('private-confidence'),
  privateRelease: $('private-release'),
  privateStatus: $('private-status'),
  privateOutput: $('private-output'),
  privateLedger: $('private-ledger'),
};

const client = new WorkerClient();
let current = null;   // {file, preview, generation, shown, sample}: shown is the key of the analysis on the page
let generation = 0;   // bumped for every new file: stale replies are ignored
let runs = 0;
let active = null;    // {job, key} of the analysis in the worker; a reply for any other is stale
let privateOn = false; // "Share privately": no ordinary analysis runs or shows while it is on

// Power answers come from a worker of their own, so they never wait behind (or get cancelled
// with) an analysis of a large file.
const power = createPowerPanel({ ui, client: new WorkerClient() });
// The difference in differences runs on the same file in a worker of its own, so it never waits
// behind (or is cancelled with) the A/B analysis.
const did = createDidPanel({
  ui, client: new WorkerClient(), currentJob: () => current, columnByName, isPrivate: () => privateOn,
  showError, clearAlert,
});

function setState(state) {
  document.body.dataset.state = state;
}

// ---- the one alert region ----------------------------------------------------------------
function clearAlert() {
  delete ui.alert.dataset.source;
  ui.alert.replaceChildren();
  delete ui.alert.dataset.kind;
}

function showError(text) {
  delete ui.alert.dataset.source;
  ui.alert.dataset.kind = 'error';
  ui.alert.replaceChildren(el('p', {}, el('strong', {}, 'Error: '), text));
}

function showWarnings(all) {
  // A sample-ratio mismatch has its own banner at the top of the results.
  const warnings = all.filter((w) => w.code !== 'sample_ratio_mismatch');
  if (warnings.length === 0) {
    clearAlert();
    return;
  }
  delete ui.alert.dataset.source;
  ui.alert.dataset.kind = 'warning';
  const title = warnings.length === 1 ? 'The analysis ran, with a warning:' : `The analysis ran, with ${warnings.length} warnings:`;
  ui.alert.replaceChildren(el('p', {}, el('strong', {}, title)),
    el('ul', {}, warnings.map((w) => el('li', {}, warningText(w)))));
}

function fail(err, file) {
  showError(errorText(err, file?.name ?? ''));
  setState('error');
}

// ---- the setup form ----------------------------------------------------------------------
function columnByName(name) {
  return current?.preview?.columns.find((c) => c.name === name) ?? null;
}

function fillVariants(preview, chosen) {
  const options = [el('option', { value: '' }, 'Choose a column…')];
  for (const column of preview.columns) {
    const n = column.values?.length ?? 0;
    const detail = isVariantCandidate(column) ? ` (${n} ${n === 1 ? 'value' : 'values'})` : '';
    options.push(el('option', { value: column.name, selected: column.name === chosen }, column.name + detail));
  }
  ui.variant.replaceChildren(...options);
  ui.variant.value = chosen ?? '';
}

function fillControls(column, chosen) {
  const values = column?.values ?? [];
  const options = values.map((v) => el('option', { value: v.value },
    `${v.value === '' ? '(empty)' : v.value} — ${formatCount(v.count)} ${v.count === 1 ? 'row' : 'rows'} in the preview`));
  if (options.length === 0) options.push(el('option', { value: '' }, 'No values in the preview'));
  ui.control.replaceChildren(...options);
  ui.control.value = chosen ?? values[0]?.value ?? '';
}

function fillMetrics(preview, variant, checked) {
  const sums = summaryMetrics(preview.columns).filter((m) => m !== variant);
  if (sums.length > 0) {
    ui.metrics.replaceChildren(...sums.map((name, i) => el('div', { class: 'metric-choice' },
      el('input', { type: 'checkbox', id: `metric-${i}`, value: name, 'data-kind': 'summary', checked: checked.has(name) }),
      el('label', { for: `metric-${i}` }, el('span', { class: 'col-name' }, name),
        el('span', { class: 'kind kind-summary' }, 'from sums')))));
    return;
  }
  const columns = preview.columns.filter((c) => c.name !== variant && isNumericColumn(c));
  if (columns.length === 0) {
    ui.metrics.replaceChildren(el('p', { class: 'help' }, 'No numeric column besides the arm column.'));
    return;
  }
  ui.metrics.replaceChildren(...columns.map((column, i) => {
    const id = `metric-${i}`;
    const kind = metricKind(column);
    return el('div', { class: 'metric-choice' },
      el('input', { type: 'checkbox', id, value: column.name, 'data-kind': kind, checked: checked.has(column.name) }),
      el('label', { for: id }, el('span', { class: 'col-name' }, column.name),
        el('span', { class: `kind kind-${kind}` }, kind),
        isIdColumn(column) ? el('span', { class: 'help' }, ' looks like an id') : null));
  }));
}

// The unit-id column: any column, none by default (a new file starts without one).
function fillUnits(preview) {
  ui.unit.replaceChildren(el('option', { value: '' }, 'None'),
    ...preview.columns.map((c) => el('option', { value: c.name }, c.name + (isIdColumn(c) ? ' (looks like an id)' : ''))));
  ui.unit.value = '';
}

// Covariates and the CUPED pre-period metric: numeric columns other than the arm column and the
// chosen metrics. Boxes still eligible stay checked; the pre-metric stays if it still fits.
function adjustColumns(preview) {
  const metrics = new Set(checkedMetrics().map((m) => m.name));
  const variant = ui.variant.value;
  return preview.columns.filter((c) => c.name !== variant && !metrics.has(c.name) && isNumericColumn(c));
}

function checkedCovariates() {
  return [...ui.covariates.querySelectorAll('input[type=checkbox]:checked')].map((box) => box.value);
}

function fillAdjustment(preview, { keep = true } = {}) {
  const columns = adjustColumns(preview);
  const checked = new Set(keep ? checkedCovariates() : []);
  const pre = keep ? ui.preMetric.value : '';
  if (columns.length === 0) {
    ui.covariates.replaceChildren(el('p', { class: 'help' }, 'No numeric column besides the arm column and the metrics.'));
  } else {
    ui.covariates.replaceChildren(...columns.map((column, i) => el('div', { class: 'metric-choice' },
      el('input', { type: 'checkbox', id: `covariate-${i}`, value: column.name, checked: checked.has(column.name) }),
      el('label', { for: `covariate-${i}` }, el('span', { class: 'col-name' }, column.name)))));
  }
  ui.preMetric.replaceChildren(el('option', { value: '' }, 'None'),
    ...columns.map((c) => el('option', { value: c.name }, c.name)));
  ui.preMetric.value = columns.some((c) => c.name === pre) ? pre : '';
}

// Row-level options mean nothing for a summary file (sums per arm): they are switched off.
function isSummaryFile() {
  return summaryMetrics(current?.preview?.columns ?? []).length > 0;
}

function syncAdvanced() {
  const summary = isSummaryFile();
  ui.bootstrap.disabled = !ui.bootstrapCheck.checked;
  ui.seed.disabled = !ui.bootstrapCheck.checked;
  ui.winsorize.disabled = summary;
  ui.winsorizeTail.disabled = summary || !ui.winsorize.value;
  ui.unit.disabled = summary;
  // The core takes covariates or a pre-period metric, not both: one switches the other off.
  const covariates = summary ? [] : checkedCovariates();
  const pre = summary ? '' : ui.preMetric.value;
  for (const box of ui.covariates.querySelectorAll('input[type=checkbox]')) box.disabled = summary || Boolean(pre);
  ui.adjust.disabled = summary || Boolean(pre) || covariates.length === 0;
  ui.preMetric.disabled = summary || covariates.length > 0;
  const covariateText = 'Numeric columns measured before the test (age, past spend…): each difference is also estimated by '
    + 'least squares adjusting for them, which narrows the interval without moving the target. Rows missing the metric '
    + 'or a covariate are left out of the adjusted estimate. Reads the file three times.';
  const preText = 'The metric’s value before the test: each metric is also compared after subtracting '
    + 'θ × (pre-period − its mean), which removes the variance the two share.';
  const conflict = (text) => [el('span', { class: 'adjust-conflict' }, text), ' '];
  if (summary) {
    ui.covariateHelp.textContent = 'This file is a summary (sums per arm): covariate adjustment needs the rows.';
    ui.preMetricHelp.textContent = 'This file is a summary (sums per arm): CUPED needs the rows.';
  } else {
    ui.covariateHelp.replaceChildren(...(pre ? conflict(`Off while CUPED uses ${pre}: choose one adjustment or the other (set the pre-period metric to None to use covariates).`) : []), covariateText);
    ui.preMetricHelp.replaceChildren(...(covariates.length ? conflict('Off while covariates are checked: CUPED and covariate adjustment cannot be combined (uncheck them to use CUPED).') : []), preText);
  }
  ui.winsorizeHelp.textContent = summary
    ? 'This file is a summary (sums per arm): winsorizing and unit ids need the rows.'
    : 'Caps every continuous metric at its quantile over all arms before any statistic, so a few extreme values cannot dominate. Reads the file three times.';
  const on = [];
  if (ui.bootstrapCheck.checked) on.push(`bootstrap, ${ui.bootstrap.value || '?'} replicates`);
  if (ui.winsorize.value && !summary) on.push(`winsorized at ${formatLevel(Number(ui.winsorize.value))} (${ui.winsorizeTail.value === 'both' ? 'both tails' : `${ui.winsorizeTail.value} tail`})`);
  if (ui.unit.value && !summary) on.push(`unit ids: ${ui.unit.value}`);
  if (covariates.length) on.push(`adjusted for ${covariates.join(', ')} (${ui.adjust.value === 'additive' ? 'additive' : 'Lin'})`);
  if (pre) on.push(`CUPED on ${pre}`);
  if (ui.fisher.checked) on.push('Fisher on every binary comparison');
  ui.advancedState.textContent = on.length ? `— ${on.join(' · ')}` : '— none in use';
}

function fillSetup(preview, guess) {
  fillVariants(preview, guess.variant);
  fillControls(columnByName(guess.variant), guess.control);
  fillMetrics(preview, guess.variant, new Set(guess.metrics.map((m) => m.name)));
  fillUnits(preview);
  fillAdjustment(preview, { keep: false });
  syncAdvanced();
  ui.setupSection.hidden = false;
}

function onVariantChange() {
  const preview = current?.preview;
  if (!preview) return;
  const column = columnByName(ui.variant.value);
  fillControls(column, guessControl(column).control);
  const kept = new Set(checkedMetrics().map((m) => m.name).filter((n) => n !== ui.variant.value));
  const checked = kept.size > 0 ? kept : new Set(guessMetrics(preview.columns, ui.variant.value).map((m) => m.name));
  fillMetrics(preview, ui.variant.value, checked);
  fillAdjustment(preview);
  syncAdvanced();
}

// A column checked as a metric is no longer a covariate (nor the pre-period metric).
function onMetricsChange() {
  if (!current?.preview) return;
  fillAdjustment(current.preview);
  syncAdvanced();
}

function checkedMetrics() {
  return [...ui.metrics.querySelectorAll('input[type=checkbox]:checked')]
    .map((box) => ({ name: box.value, kind: box.dataset.kind }));
}

// The form as the CLI's options, or a sentence saying what is missing.
function readSetup(file) {
  const variant = ui.variant.value;
  const control = ui.control.value;
  const metrics = checkedMetrics();
  if (!variant) return { problem: 'Choose the column that says which arm each row is in.' };
  if (!columnByName(variant)?.values?.length) return { problem: `The column “${variant}” has no values to use as arms.` };
  if (metrics.length === 0) return { problem: 'Choose at least one metric to compare.' };
  const boot = ui.bootstrapCheck.checked;
  if (boot && !ui.bootstrap.value.trim()) return { problem: 'Give the number of bootstrap replicates (100 to 100,000).' };
  const rows = !isSummaryFile();
  const winsorize = rows && ui.winsorize.value ? ui.winsorize.value : undefined;
  const covariates = rows ? checkedCovariates() : [];
  const preMetric = rows && covariates.length === 0 && ui.preMetric.value ? ui.preMetric.value : undefined;
  // undefined leaves an option at the core's default; the names are the CLI's flags.
  return {
    options: {
      variant,
      control,
      metric: metrics.map((m) => m.name), // the core decides binary vs continuous from every value
      alpha: ui.confidence.value,
      correction: ui.correction.value,
      split: ui.split.value.trim() || undefined, // empty: an equal split
      bootstrap: boot ? ui.bootstrap.value.trim() : undefined,
      seed: boot ? ui.seed.value.trim() || undefined : undefined,
      winsorize,
      'winsorize-tail': winsorize ? ui.winsorizeTail.value : undefined,
      unit: rows && ui.unit.value ? ui.unit.value : undefined,
      fisher: ui.fisher.checked ? 'always' : undefined,
      covariates: covariates.length ? covariates.join(',') : undefined,
      adjust: covariates.length ? ui.adjust.value : undefined,
      'pre-metric': preMetric,
      file: file.name,
    },
  };
}

// ---- progress ----------------------------------------------------------------------------
// pass 2 and 3 are the further reads of a winsorized analysis (caps, then capped values) or of
// a covariate adjustment; with both, the reads are only numbered.
const READS = {
  1: 'Analyzing',
  2: 'Winsorizing, second read (finding the caps)',
  3: 'Winsorizing, third read (capped values)',
};
const ADJUST_READS = {
  2: 'Adjusting for covariates, second read',
  3: 'Adjusting for covariates, third read',
};
const ORDINALS = { 2: 'Second read', 3: 'Third read', 4: 'Fourth read', 5: 'Fifth read' };

function readName(pass, options) {
  if (pass === 1) return READS[1];
  const winsorize = Boolean(options?.winsorize);
  const adjust = Boolean(options?.covariates || options?.['pre-metric']);
  if (winsorize && !adjust && READS[pass]) return READS[pass];
  if (adjust && !winsorize && ADJUST_READS[pass]) return ADJUST_READS[pass];
  return ORDINALS[pass] ?? `Read ${pass}`;
}

function showProgress(file, bytes, total, pass = 1, options = null) {
  ui.progressRow.hidden = false;
  ui.progress.value = total > 0 ? Math.min(1, bytes / total) : 0;
  ui.progress.dataset.pass = String(pass);
  ui.progressText.textContent = `${readName(pass, options)}: ${formatBytes(bytes)} of ${formatBytes(total)}`;
}

function setBusy(busy) {
  ui.analyze.disabled = busy;
  ui.cancel.hidden = !busy;
  if (!busy) ui.progressRow.hidden = true;
  ui.results.setAttribute('aria-busy', String(busy));
}

// ---- the flow: file → preview → guess → analysis -----------------------------------------
function clearResults() {
  destroyCharts();
  ui.results.replaceChildren();
  delete ui.results.dataset.file;
}

// Runs the analysis the form describes. An identical analysis already running is left alone; a
// different one is cancelled and replaced. With {auto: true} (a control changed) nothing runs
// unless this file has been analyzed or is being analyzed, or when the page already shows it.
async function analyze({ auto = false } = {}) {
  const job = current;
  if (!job?.preview || privateOn) return;
  const running = active?.job === job ? active : null;
  if (auto && !running && !job.shown) return;
  const { options, problem } = readSetup(job.file);
  if (problem) {
    showError(problem);
    setState('confirm');
    job.shown = null; // once the form is fixed, run again even if it is back where it was
    return;
  }
  const key = JSON.stringify(options);
  if (running?.key === key) return;
  if (auto && !running && job.shown === key) return;
  if (running) client.cancel();
  const run = { job, key };
  active = run;
  clearAlert();
  setState('analyzing');
  setBusy(true);
  showProgress(job.file, 0, job.file.size);
  const started = performance.now();
  try {
    const { result } = await client.request('analyze', { file: job.file, options },
      ({ bytes, total, pass }) => { if (run === active) showProgress(job.file, bytes, total, pass, options); });
    if (run !== active) return;
    runs += 1;
    job.shown = key;
    destroyCharts();
    const charts = renderResults(ui.results, result);
    ui.results.dataset.file = result.input.file;
    ui.results.dataset.run = String(runs);
    renderCharts(charts);
    showWarnings(result.warnings ?? []);
    power.prefill(result);
    const seconds = (performance.now() - started) / 1000;
    ui.results.dataset.seconds = String(seconds);
    ui.fileStatus.textContent = `${job.file.name} · ${formatBytes(job.file.size)} · analyzed in ${seconds.toFixed(2)} s, `
      + `${formatCount(result.input.rows_used)} rows in ${result.arms.length} arms.`;
    setState('done');
  } catch (err) {
    if (run !== active) return;
    if (err.code === 'cancelled') {
      ui.fileStatus.textContent = `${job.file.name}: analysis cancelled.`;
      setState('cancelled');
      return;
    }
    // The results on the page no longer match the form: take them away rather than mislead.
    job.shown = null;
    clearResults();
    fail(err, job.file);
  } finally {
    if (run === active) {
      active = null;
      setBusy(false);
    }
  }
}

function fileLine(job) {
  return `${job.file.name} · ${formatBytes(job.file.size)}${job.sample ? ' · the bundled sample (Hillstrom e-mail campaign)' : ''}`;
}

async function openFile(file, { sample = false } = {}) {
  client.cancel();
  did.reset();
  generation += 1;
  const job = { file, preview: null, generation, shown: null, sample };
  current = job;
  active = null;
  stopRelease();
  setBusy(false);
  clearAlert();
  clearResults();
  clearRelease();
  ui.setupSection.hidden = true;
  ui.setupNote.textContent = '';
  setState('previewing');
  ui.fileStatus.textContent = `${fileLine(job)} — reading the first ${privateOn ? 'bytes for the column names' : 'rows'}…`;

  let preview;
  try {
    preview = await client.request('preview', { file });
  } catch (err) {
    if (job === current && err.code !== 'cancelled') fail(err, file);
    return;
  }
  if (job !== current) return;
  job.preview = preview;
  // In private mode only the column names are used: no rows, counts or values are shown.
  if (!privateOn) renderPreview(ui.preview, preview);
  ui.fileStatus.textContent = fileLine(job);

  // The core has read the whole file and found nothing to analyze: say so in words.
  if (preview.complete && preview.columns.length === 0) {
    fail({ message: 'the file has no columns', line: 0, column: 0 }, file);
    return;
  }
  if (preview.complete && preview.rows_profiled === 0) {
    fail({ message: 'the file has a header row but no data rows', line: 0, column: 0 }, file);
    return;
  }

  if (privateOn) {
    fillPrivate(preview);
    setState('confirm');
    return;
  }
  did.fill(preview);
  const guess = guessRoles(preview);
  fillSetup(preview, guess);
  if (guess.unambiguous) {
    ui.setupNote.textContent = 'Roles guessed from the column names. Changing a setting runs the analysis again; after changing the arm column, press Analyze.';
    await analyze();
  } else {
    ui.setupNote.textContent = guess.variant
      ? 'Please check the arm column, the control arm and the metrics, then press Analyze.'
      : 'No column looks like an arm column: please choose one, then press Analyze.';
    setState('confirm');
    if (!sample) ui.variant.focus();
  }
}

async function loadSample() {
  const startedAt = generation;
  try {
    const response = await fetch(SAMPLE_URL);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const blob = await response.blob();
    if (generation !== startedAt) return; // the person chose a file meanwhile
    // A fixed lastModified: the sample is the same dataset in the privacy ledger on every load.
    await openFile(new File([blob], SAMPLE_NAME, { type: 'text/csv', lastModified: 0 }), { sample: true });
  } catch {
    if (generation !== startedAt) return;
    ui.fileStatus.textContent = 'Choose or drop a CSV file to begin.';
    setState('idle');
  }
}

// ---- events ------------------------------------------------------------------------------
ui.fileInput.addEventListener('change', () => {
  const file = ui.fileInput.files?.[0];
  ui.fileInput.value = ''; // so that choosing the same file again still fires "change"
  if (file) openFile(file);
});

// Dropping a file anywhere on the page opens it (and never navigates away to the file).
let dragDepth = 0;
document.addEventListener('dragenter', (event) => {
  if (![...(event.dataTransfer?.types ?? [])].includes('Files')) return;
  dragDepth += 1;
  ui.dropZone.classList.add('is-dragging');
});
document.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) ui.dropZone.classList.remove('is-dragging');
});
document.addEventListener('dragover', (event) => {
  event.preventDefault();
  if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
});
document.addEventListener('drop', (event) => {
  event.preventDefault();
  dragDepth = 0;
  ui.dropZone.classList.remove('is-dragging');
  const file = event.dataTransfer?.files?.[0];
  if (file) openFile(file);
});

ui.variant.addEventListener('change', onVariantChange);
// Before rerun: the covariate choices follow the metrics.
ui.metrics.addEventListener('change', onMetricsChange);
// Once a file has been analyzed, changing a setting runs the analysis again (the arm column
// re-guesses the control and the metrics, so it waits for Analyze).
const rerun = () => analyze({ auto: true });
for (const control of [ui.control, ui.confidence, ui.correction, ui.split, ui.metrics,
  ui.bootstrapCheck, ui.bootstrap, ui.seed, ui.winsorize, ui.winsorizeTail, ui.unit, ui.fisher,
  ui.covariates, ui.adjust, ui.preMetric]) {
  control.addEventListener('change', rerun);
}
// Before rerun (listeners run in order): enable the fields that go with a checkbox or a select.
ui.advanced.addEventListener('change', syncAdvanced, { capture: true });
ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  analyze();
});
ui.cancel.addEventListener('click', () => client.cancel()); // an analysis or a private release

// ---- share privately ------------------------------------------------------------------------
// Only the column names of the preview are used; every declaration is typed or chosen by the
// person. A release goes through the same worker (client) as an analysis, so Cancel and a new
// file stop it; the page shows a release only as ledger.js settles it (the earlier one for the
// same data and parameters), and the fingerprint the worker sends goes nowhere else.
const MODE_KEY = 'causeway.private.mode';
let privateActive = null;  // {job} of the release in the worker
let privateShown = null;   // {result, text, markdown, label} of the release on the page
let privateRuns = 0;

function rememberedMode() {
  try {
    return sessionStorage.getItem(MODE_KEY) === 'on';
  } catch {
    return false;
  }
}

function rememberMode(on) {
  try {
    sessionStorage.setItem(MODE_KEY, on ? 'on' : 'off');
  } catch {
    // the mode then lasts until the page is reloaded
  }
}

function setPrivate(on) {
  privateOn = on;
  ui.privateToggle.checked = on;
  ui.privateBody.hidden = !on;
  ui.privateSection.dataset.state = on ? 'on' : 'off';
  document.body.dataset.mode = on ? 'private' : 'normal';
  rememberMode(on);
  clearAlert();
  if (on) {
    // Take every non-private number off the page: results, preview rows, DiD, power prefill,
    // the status line's row count.
    if (client.busy) client.cancel();
    active = null;
    setBusy(false);
    clearResults();
    ui.results.hidden = true;
    did.reset();
    ui.setupSection.hidden = true;
    ui.preview.replaceChildren();
    power.resetPrefill();
    renderLedger(ui.privateLedger, ledgerEntries());
    const job = current;
    if (job?.preview) {
      job.shown = null;
      ui.fileStatus.textContent = fileLine(job);
      fillPrivate(job.preview);
      setState('confirm');
    } else if (job?.file) {
      openFile(job.file, { sample: job.sample });
    }
    return;
  }
  stopRelease();
  clearRelease();
  ui.results.hidden = false;
  if (current?.file) openFile(current.file, { sample: current.sample });
}

// The metric rows' choices, by column name, so that re-filling keeps them.
function privateChoices() {
  const choices = new Map();
  for (const row of ui.privateMetrics.querySelectorAll('[data-column]')) {
    choices.set(row.dataset.column, {
      kind: row.querySelector('select').value,
      low: row.querySelector('[data-bound="low"]').value,
      high: row.querySelector('[data-bound="high"]').value,
    });
  }
  return choices;
}

function syncPrivateMetrics() {
  for (const row of ui.privateMetrics.querySelectorAll('[data-column]')) {
    row.querySelector('.bounds').hidden = row.querySelector('select').value !== 'number';
  }
}

// One row per column other than the arm and person-id columns: not used, yes/no or a number
// with bounds typed by the person (never filled in from the data).
function fillPrivateMetrics(names) {
  const kept = privateChoices();
  const skip = new Set([ui.privateVariant.value, ui.privateUnit.value].filter(Boolean));
  const columns = names.filter((n) => !skip.has(n));
  if (columns.length === 0) {
    ui.privateMetrics.replaceChildren(el('p', { class: 'help' }, 'No column besides the arm column.'));
    return;
  }
  ui.privateMetrics.replaceChildren(...columns.map((name, i) => {
    const was = kept.get(name) ?? { kind: '', low: '', high: '' };
    const kind = el('select', { id: `private-kind-${i}`, 'aria-label': `${name}: use as` },
      el('option', { value: '' }, 'Not used'),
      el('option', { value: 'binary' }, 'Yes/no (0/1)'),
      el('option', { value: 'number' }, 'Number from LOW to HIGH'));
    kind.value = was.kind;
    return el('div', { class: 'private-metric-row', 'data-column': name },
      el('label', { for: `private-kind-${i}`, class: 'col-name' }, name),
      kind,
      el('span', { class: 'bounds' },
        el('label', { for: `private-low-${i}` }, 'LOW'),
        el('input', { type: 'text', id: `private-low-${i}`, class: 'short', 'data-bound': 'low', value: was.low,
          inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false' }),
        el('label', { for: `private-high-${i}` }, 'HIGH'),
        el('input', { type: 'text', id: `private-high-${i}`, class: 'short', 'data-bound': 'high', value: was.high,
          inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false' })));
  }));
  syncPrivateMetrics();
}

function columnOptions(select, names, none) {
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, none), ...names.map((n) => el('option', { value: n }, n)));
  select.value = names.includes(chosen) ? chosen : '';
}

function fillPrivate(preview) {
  const names = preview.columns.map((c) => c.name);
  columnOptions(ui.privateVariant, names, 'Choose a column…');
  columnOptions(ui.privateUnit, names, 'None: one row is one person');
  fillPrivateMetrics(names);
  fillPrivateControl();
  ui.privateSection.dataset.state = 'on';
}

function typedArms() {
  return ui.privateArms.value.split(',').map((a) => a.trim()).filter((a) => a !== '');
}

// The control is one of the typed labels (never one found in the data).
function fillPrivateControl() {
  const arms = [...new Set(typedArms())];
  const chosen = ui.privateControl.value;
  ui.privateControl.replaceChildren(...(arms.length
    ? arms.map((a) => el('option', { value: a }, a))
    : [el('option', { value: '' }, 'Type the arm labels first')]));
  ui.privateControl.value = arms.includes(chosen) ? chosen : (arms[0] ?? '');
}

// The form as the core's options, or {problem, field}.
function readPrivate(file) {
  const problem = (text, field) => ({ problem: text, field });
  const variant = ui.privateVariant.value;
  if (!variant) return problem('Choose the arm column.', ui.privateVariant);
  const arms = typedArms();
  if (arms.length < 2) return problem('Type at least two arm labels, separated by commas: the control and a treatment.', ui.privateArms);
  const twice = arms.find((a, i) => arms.indexOf(a) !== i);
  if (twice !== undefined) return problem(`The arm label “${twice}” is typed twice.`, ui.privateArms);
  const control = ui.privateControl.value;
  if (!arms.includes(control)) return problem('Choose the control arm among the labels you typed.', ui.privateControl);
  const metrics = [];
  const bounds = [];
  for (const row of ui.privateMetrics.querySelectorAll('[data-column]')) {
    const name = row.dataset.column;
    const kind = row.querySelector('select').value;
    if (kind === 'binary') metrics.push(`${name}:binary`);
    if (kind !== 'number') continue;
    const low = row.querySelector('[data-bound="low"]');
    const high = row.querySelector('[data-bound="high"]');
    for (const input of [low, high]) {
      if (!input.value.trim()) return problem(`Type both bounds of “${name}”, LOW and HIGH: the range its values are clamped to.`, input);
    }
    metrics.push(name);
    bounds.push(`${name}=${low.value.trim()}:${high.value.trim()}`);
  }
  if (metrics.length === 0) return problem('Choose at least one metric: yes/no (0/1) or a number with its bounds.', ui.privateMetrics.querySelector('select'));
  const epsilon = ui.privateEpsilon.value.trim();
  if (!epsilon) return problem('Give the privacy budget ε (for example 1).', ui.privateEpsilon);
  return {
    options: {
      variant,
      control,
      arms: arms.join(','),
      metric: metrics,
      bounds: bounds.length ? bounds.join(',') : undefined,
      resolution: ui.privateResolution.value.trim() || undefined,
      'dp-epsilon': epsilon,
      'dp-delta': ui.privateDelta.value.trim() || undefined,
      'dp-interval': ui.privateInterval.value,
      alpha: ui.privateConfidence.value,
      unit: ui.privateUnit.value || undefined,
      file: file.name,
    },
  };
}

// The core's messages name the CLI's flags; on the page, name the fields.
const PRIVATE_LABELS = {
  arms: 'the arm labels', bounds: 'the bounds', 'dp-epsilon': 'the privacy budget ε', 'dp-delta': 'the δ',
  resolution: 'the resolution', 'dp-interval': 'the interval method', control: 'the control arm',
  metric: 'the metric', unit: 'the person-id column', variant: 'the arm column',
};

function releaseError(err, file) {
  if (err.code === 'entropy') {
    showError('This browser offers no secure random source (crypto.getRandomValues), so nothing was released: '
      + 'no noise could be drawn, and no number was computed or shown.');
  } else {
    const message = String(err.message ?? err).replace(/--([a-z-]+)/g, (m, name) => PRIVATE_LABELS[name] ?? m);
    showError(`Nothing was released from “${file.name}”. ${errorText({ ...err, message })}`);
  }
  setState('error');
  ui.privateSection.dataset.state = 'error';
}

function setReleasing(busy) {
  ui.privateRelease.disabled = busy;
  ui.cancel.hidden = !busy;
  if (!busy) ui.progressRow.hidden = true;
  ui.privateOutput.setAttribute('aria-busy', String(busy));
}

function stopRelease() {
  if (!privateActive) return;
  privateActive = null;
  client.cancel();
  setReleasing(false);
  ui.privateStatus.textContent = '';
}

function clearRelease() {
  destroyPrivateCharts();
  ui.privateOutput.replaceChildren();
  delete ui.privateOutput.dataset.cached;
  privateShown = null;
}

function showRelease(result, { text, cached, at }) {
  destroyPrivateCharts();
  const { charts, markdown } = renderRelease(ui.privateOutput, result, { text, earlier: cached ? at : null });
  renderPrivateCharts(charts);
  const label = privacyLabel(result);
  privateShown = { result, text, markdown, label };
  privateRuns += 1;
  ui.privateOutput.dataset.run = String(privateRuns);
  ui.privateOutput.dataset.cached = String(cached);
  ui.privateStatus.textContent = cached
    ? `${label}: the release made earlier in this session, shown again; no ε spent.`
    : `${label}: released.`;
  ui.privateSection.dataset.state = 'released';
}

async function release() {
  const job = current;
  if (!privateOn || privateActive) return;
  if (!job?.preview) {
    showError(job ? 'The file’s column names are still being read: try again in a moment.' : 'Choose a CSV file first.');
    return;
  }
  const { options, problem, field } = readPrivate(job.file);
  if (problem) {
    showError(problem);
    field?.focus();
    return;
  }
  let key;
  try {
    key = sessionKey();
  } catch (err) {
    releaseError(err, job.file);
    return;
  }
  const run = { job };
  privateActive = run;
  clearAlert();
  setState('releasing');
  ui.privateSection.dataset.state = 'releasing';
  setReleasing(true);
  ui.privateStatus.textContent = 'Reading the file and adding noise…';
  const progress = ({ bytes, total }) => {
    if (run !== privateActive) return;
    ui.progressRow.hidden = false;
    ui.progress.value = total > 0 ? Math.min(1, bytes / total) : 0;
    ui.progressText.textContent = `Private release: ${formatBytes(bytes)} of ${formatBytes(total)} read`;
  };
  progress({ bytes: 0, total: job.file.size });
  try {
    const { text, result, fingerprint } = await client.request('release',
      { file: job.file, options: { ...options, 'dp-session-key': key } }, progress);
    if (run !== privateActive || !privateOn) return;
    const shown = settle({ fingerprint, text, result, file: job.file });
    showRelease(shown.cached ? JSON.parse(shown.text) : result, shown);
    renderLedger(ui.privateLedger, ledgerEntries());
    setState('released');
  } catch (err) {
    if (run !== privateActive) return;
    clearRelease();
    if (err.code === 'cancelled') {
      ui.privateStatus.textContent = 'Cancelled: nothing was released.';
      ui.privateSection.dataset.state = 'on';
      setState('cancelled');
      return;
    }
    ui.privateStatus.textContent = '';
    releaseError(err, job.file);
  } finally {
    if (run === privateActive) {
      privateActive = null;
      setReleasing(false);
    }
  }
}

// ---- exports of the release on the page ------------------------------------------------------
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function exportStatus(text) {
  const status = ui.privateOutput.querySelector('.export-status');
  if (status) status.textContent = text;
}

async function copyText(kind, value) {
  try {
    await navigator.clipboard.writeText(value);
    exportStatus('Copied.');
  } catch {
    // No clipboard permission: select the text so that Ctrl+C (⌘C) copies it.
    const area = ui.privateOutput.querySelector(`textarea[data-export-text="${kind}"]`);
    area?.focus();
    area?.select();
    exportStatus('Selected: press Ctrl+C (⌘C on a Mac) to copy.');
  }
}

// "hillstrom-private-eps1": the file's name without its extension, and the ε.
function exportName(result) {
  const stem = (result.input?.file || 'release').replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_');
  const eps = String(result.privacy.epsilon_requested).replace(/[^\w.-]+/g, '_');
  return `${stem}-private-eps${eps}`;
}

async function onExport(button) {
  const shown = privateShown;
  if (!shown) return;
  const base = exportName(shown.result);
  switch (button.dataset.export) {
    case 'markdown-copy': return copyText('markdown', shown.markdown);
    case 'json-copy': return copyText('json', shown.text);
    case 'markdown-download':
      return download(new Blob([shown.markdown], { type: 'text/markdown;charset=utf-8' }), `${base}.md`);
    case 'json-download':
      return download(new Blob([shown.text], { type: 'application/json' }), `${base}.json`);
    case 'png': {
      const index = Number(button.dataset.index);
      const metric = shown.result.metrics[index];
      const file = shown.result.input?.file || 'the file';
      const blob = await privateChartPng(index, {
        caption: [shown.label, `${metric.name} by arm · ${file} · noisy values only · Causeway`],
        description: `${shown.label}: ${metric.name} by arm, from ${file}. Only noisy values are shown; intervals include the noise.`,
      });
      if (shown !== privateShown) return;
      return download(blob, `${base}-${metric.name.replace(/[^\w.-]+/g, '_')}.png`);
    }
    default:
      return undefined;
  }
}

ui.privateToggle.addEventListener('change', () => setPrivate(ui.privateToggle.checked));
ui.privateVariant.addEventListener('change', () => fillPrivateMetrics(current?.preview?.columns.map((c) => c.name) ?? []));
ui.privateUnit.addEventListener('change', () => fillPrivateMetrics(current?.preview?.columns.map((c) => c.name) ?? []));
ui.privateMetrics.addEventListener('change', syncPrivateMetrics);
ui.privateArms.addEventListener('input', fillPrivateControl);
ui.privateForm.addEventListener('submit', (event) => {
  event.preventDefault();
  release();
});
ui.privateOutput.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-export]');
  if (!button) return;
  onExport(button).catch((err) => exportStatus(`Could not export: ${err.message ?? err}`));
});

power.start();
renderLedger(ui.privateLedger, ledgerEntries());
if (rememberedMode()) setPrivate(true);
loadSample();
