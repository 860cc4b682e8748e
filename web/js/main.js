// main.js — the page's controller and the only module that knows element ids: it wires the
// events, asks the worker (through client.js) for a preview and an analysis, and hands the
// core's JSON to view.js and charts.js. The bundled sample is analyzed on load.
import { WorkerClient } from './client.js';
import { guessRoles, guessControl, guessMetrics, isNumericColumn, isIdColumn, isVariantCandidate, metricKind } from './guess.js';
import { el, renderPreview, renderResults, errorText, warningText, formatCount, formatBytes } from './view.js';
import { renderCharts, destroyCharts } from './charts.js';

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
  analyze: $('analyze-button'),
  cancel: $('cancel-button'),
  progressRow: $('progress-row'),
  progress: $('progress'),
  progressText: $('progress-text'),
  results: $('results'),
};

const client = new WorkerClient();
let current = null;   // {file, preview, generation, shown}: shown is the key of the analysis on the page
let generation = 0;   // bumped for every new file: stale replies are ignored
let runs = 0;
let active = null;    // {job, key} of the analysis in the worker; a reply for any other is stale

function setState(state) {
  document.body.dataset.state = state;
}

// ---- the one alert region ----------------------------------------------------------------
function clearAlert() {
  ui.alert.replaceChildren();
  delete ui.alert.dataset.kind;
}

function showError(text) {
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

function fillSetup(preview, guess) {
  fillVariants(preview, guess.variant);
  fillControls(columnByName(guess.variant), guess.control);
  fillMetrics(preview, guess.variant, new Set(guess.metrics.map((m) => m.name)));
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
  return {
    options: {
      variant,
      control,
      metric: metrics.map((m) => m.name), // the core decides binary vs continuous from every value
      alpha: ui.confidence.value,
      correction: ui.correction.value,
      split: ui.split.value.trim() || undefined, // empty: an equal split
      file: file.name,
    },
  };
}

// ---- progress ----------------------------------------------------------------------------
function showProgress(file, bytes, total) {
  ui.progressRow.hidden = false;
  ui.progress.value = total > 0 ? Math.min(1, bytes / total) : 0;
  ui.progressText.textContent = `Analyzing: ${formatBytes(bytes)} of ${formatBytes(total)}`;
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
  if (!job?.preview) return;
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
      ({ bytes, total }) => { if (run === active) showProgress(job.file, bytes, total); });
    if (run !== active) return;
    runs += 1;
    job.shown = key;
    destroyCharts();
    const charts = renderResults(ui.results, result);
    ui.results.dataset.file = result.input.file;
    ui.results.dataset.run = String(runs);
    renderCharts(charts);
    showWarnings(result.warnings ?? []);
    const seconds = (performance.now() - started) / 1000;
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

async function openFile(file, { sample = false } = {}) {
  client.cancel();
  generation += 1;
  const job = { file, preview: null, generation, shown: null };
  current = job;
  active = null;
  setBusy(false);
  clearAlert();
  clearResults();
  ui.setupSection.hidden = true;
  ui.setupNote.textContent = '';
  setState('previewing');
  ui.fileStatus.textContent = `${file.name} · ${formatBytes(file.size)}${sample ? ' · the bundled sample (Hillstrom e-mail campaign)' : ''} — reading the first rows…`;

  let preview;
  try {
    preview = await client.request('preview', { file });
  } catch (err) {
    if (job === current && err.code !== 'cancelled') fail(err, file);
    return;
  }
  if (job !== current) return;
  job.preview = preview;
  renderPreview(ui.preview, preview);
  ui.fileStatus.textContent = `${file.name} · ${formatBytes(file.size)}${sample ? ' · the bundled sample (Hillstrom e-mail campaign)' : ''}`;

  // The core has read the whole file and found nothing to analyze: say so in words.
  if (preview.complete && preview.columns.length === 0) {
    fail({ message: 'the file has no columns', line: 0, column: 0 }, file);
    return;
  }
  if (preview.complete && preview.rows_profiled === 0) {
    fail({ message: 'the file has a header row but no data rows', line: 0, column: 0 }, file);
    return;
  }

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
    await openFile(new File([blob], SAMPLE_NAME, { type: 'text/csv' }), { sample: true });
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
// Once a file has been analyzed, changing a setting runs the analysis again (the arm column
// re-guesses the control and the metrics, so it waits for Analyze).
const rerun = () => analyze({ auto: true });
for (const control of [ui.control, ui.confidence, ui.correction, ui.split, ui.metrics]) {
  control.addEventListener('change', rerun);
}
ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  analyze();
});
ui.cancel.addEventListener('click', () => client.cancel());

loadSample();
