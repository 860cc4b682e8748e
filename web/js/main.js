// main.js — the page's entry point and the only module that knows element ids: it opens a file
// (chosen, dropped or the bundled sample, analyzed on load), asks the worker (through client.js)
// for a preview and the ordinary analysis, and hands the core's JSON to view.js and charts.js.
// The other panels have controllers of their own, given the elements and accessors they need:
// powerpanel.js, didpanel.js and privatepanel.js ("Share privately", which the page follows).
import { WorkerClient } from './client.js';
import { guessRoles, guessControl, guessMetrics, summaryMetrics, isNumericColumn, isIdColumn, isVariantCandidate, metricKind } from './guess.js';
import { el, renderPreview, renderResults, errorText, warningText, formatCount, formatBytes, formatLevel } from './view.js';
import { renderCharts, destroyCharts } from './charts.js';
import { createPowerPanel } from './powerpanel.js';
import { createDidPanel } from './didpanel.js';
import { createPrivatePanel } from './privatepanel.js';
import { sampleBlob } from './assets.js';

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

// Power answers come from a worker of their own, so they never wait behind (or get cancelled
// with) an analysis of a large file.
const powerPanel = createPowerPanel({ ui, client: new WorkerClient() });
// The difference in differences runs on the same file in a worker of its own, so it never waits
// behind (or is cancelled with) the A/B analysis.
const didPanel = createDidPanel({
  ui, client: new WorkerClient(), currentJob: () => current, columnByName, isPrivate: () => privatePanel.isOn(),
  showError, clearAlert,
});
// "Share privately" releases through the analysis worker (client), so Cancel and a new file
// stop a release too.
const privatePanel = createPrivatePanel({
  ui, client, currentJob: () => current, setState, showError, clearAlert, onModeChange: onPrivateMode,
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
  if (!job?.preview || privatePanel.isOn()) return;
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
    powerPanel.prefill(result);
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
  didPanel.reset();
  generation += 1;
  const job = { file, preview: null, generation, shown: null, sample };
  current = job;
  active = null;
  privatePanel.stop();
  setBusy(false);
  clearAlert();
  clearResults();
  privatePanel.clear();
  ui.setupSection.hidden = true;
  ui.setupNote.textContent = '';
  setState('previewing');
  ui.fileStatus.textContent = `${fileLine(job)} — reading the first ${privatePanel.isOn() ? 'bytes for the column names' : 'rows'}…`;

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
  if (!privatePanel.isOn()) renderPreview(ui.preview, preview);
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

  if (privatePanel.isOn()) {
    privatePanel.fill(preview);
    setState('confirm');
    return;
  }
  didPanel.fill(preview);
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
    const blob = await sampleBlob();
    if (generation !== startedAt) return; // the person chose a file meanwhile
    // A fixed lastModified: the sample is the same dataset in the privacy ledger on every load.
    await openFile(new File([blob], SAMPLE_NAME, { type: 'text/csv', lastModified: 0 }), { sample: true });
  } catch {
    if (generation !== startedAt) return;
    ui.fileStatus.textContent = 'Choose or drop a CSV file to begin.';
    setState('idle');
  }
}

// ---- "Share privately" ----------------------------------------------------------------------
// privatepanel.js owns the mode and its form; the rest of the page follows it here.
function onPrivateMode(on) {
  if (on) {
    // Take every non-private number off the page: results, preview rows, DiD, power prefill,
    // the status line's row count.
    if (client.busy) client.cancel();
    active = null;
    setBusy(false);
    clearResults();
    ui.results.hidden = true;
    didPanel.reset();
    ui.setupSection.hidden = true;
    ui.preview.replaceChildren();
    powerPanel.resetPrefill();
    const job = current;
    if (job?.preview) {
      job.shown = null;
      ui.fileStatus.textContent = fileLine(job);
      privatePanel.fill(job.preview);
      setState('confirm');
    } else if (job?.file) {
      openFile(job.file, { sample: job.sample });
    }
    return;
  }
  ui.results.hidden = false;
  if (current?.file) openFile(current.file, { sample: current.sample });
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

powerPanel.start();
privatePanel.start();
loadSample();
