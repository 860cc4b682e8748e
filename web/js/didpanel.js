// didpanel.js — the difference-in-differences panel's controller: guesses its columns from the
// preview, reads its form, runs the estimate on the same file in a worker of its own and hands
// the core's JSON to didview.js and charts.js.
import { isNumericColumn, isIdColumn } from './guess.js';
import { el, errorText } from './view.js';
import { renderDid } from './didview.js';
import { renderDidCharts, destroyDidCharts } from './charts.js';

const pick = (columns, re) => columns.find((c) => re.test(c.name))?.name ?? '';

// A select's choices: the names, after a first "none" choice when given.
function options(select, names, chosen, none = null) {
  select.replaceChildren(...(none ? [el('option', { value: '' }, none)] : []),
    ...names.map((n) => el('option', { value: n }, n === '' ? '(empty)' : n)));
  select.value = names.includes(chosen) ? chosen : (none ? '' : names[0] ?? '');
}

// ui: main.js's element map (the did* fields and the alert region); client: a WorkerClient used
// for nothing else, so that a DiD never waits behind (or is cancelled with) the A/B analysis;
// currentJob(): the open file's {file, preview}; columnByName(name): a column of its preview;
// isPrivate(): true while "Share privately" is on, when no DiD runs; showError and clearAlert:
// the page's alert region.
export function createDidPanel({ ui, client, currentJob, columnByName, isPrivate, showError, clearAlert }) {
  let didShown = null;   // {job, key} of the DiD on the page
  let didActive = null;  // {job, key} of the DiD in the worker
  let didRuns = 0;

  function resetDid() {
    client.cancel();
    didShown = null;
    didActive = null;
    destroyDidCharts();
    ui.didResults.replaceChildren();
    ui.didStatus.textContent = '';
    ui.didSection.dataset.state = 'idle';
    ui.didSection.hidden = true;
  }

  function fillDidValues() {
    const group = columnByName(ui.didGroup.value);
    const groupValues = (group?.values ?? []).map((v) => v.value);
    const treated = groupValues.find((v) => /^(1|true|yes|treat(ed|ment)?)$/i.test(v)) ?? groupValues[1] ?? groupValues[0];
    options(ui.didTreated, groupValues, ui.didTreated.value && groupValues.includes(ui.didTreated.value) ? ui.didTreated.value : treated);
    fillDidWhen();
  }

  // The period's values in the order first seen; more than two suggest an event study.
  function fillDidWhen({ design = false } = {}) {
    const period = columnByName(ui.didPeriod.value);
    const values = (period?.values ?? []).map((v) => v.value);
    if (design) {
      ui.didDesign.value = values.length > 2 ? 'start' : 'post';
      syncDid();
    }
    const keep = values.includes(ui.didWhen.value) ? ui.didWhen.value : null;
    options(ui.didWhen, values, keep ?? values[values.length > 1 ? 1 : 0]);
  }

  function fillDid(preview) {
    const columns = preview.columns;
    const names = columns.map((c) => c.name);
    const numeric = columns.filter((c) => isNumericColumn(c) && !isIdColumn(c)).map((c) => c.name);
    const group = pick(columns, /^(treat(ed|ment)?|group|nj)$/i) || (columns.find((c) => c.values?.length === 2 && !c.values_capped)?.name ?? '');
    const period = pick(columns, /^(period|wave|time|year|quarter|month|week|date)$/i);
    const unit = pick(columns, /^(unit|id|store_id|user_id|unit_id)$/i);
    const outcome = numeric.find((n) => ![group, period, unit].includes(n) && /^(y|outcome|fte)$/i.test(n))
      ?? numeric.find((n) => ![group, period, unit].includes(n)) ?? '';
    options(ui.didOutcome, numeric, outcome, 'Choose a column…');
    options(ui.didGroup, names, group, 'Choose a column…');
    options(ui.didPeriod, names, period, 'Choose a column…');
    options(ui.didUnit, names, unit, 'None');
    ui.didTreated.replaceChildren();
    ui.didWhen.replaceChildren();
    ui.didBalanced.checked = false;
    ui.didOrder.value = '';
    fillDidValues();
    fillDidWhen({ design: true });
    syncDid();
    ui.didSection.hidden = false;
  }

  function syncDid() {
    const event = ui.didDesign.value === 'start';
    ui.didWhenLabel.textContent = event ? 'First treated period' : 'Post period';
    ui.didWhenHelp.textContent = event
      ? 'The first period of the treatment; the periods before it are the pre-periods.'
      : 'The period after the treatment; the other period is the pre-period.';
    ui.didOrder.disabled = !event;
    ui.didBalanced.disabled = !ui.didUnit.value;
  }

  function readDid(file) {
    const need = [[ui.didOutcome, 'the outcome column'], [ui.didGroup, 'the group column'],
      [ui.didPeriod, 'the period column']];
    for (const [select, what] of need) if (!select.value) return { problem: `Difference in differences: choose ${what}.` };
    if (!ui.didWhen.options.length) return { problem: `Difference in differences: the column “${ui.didPeriod.value}” has no periods in the preview.` };
    const event = ui.didDesign.value === 'start';
    return {
      options: {
        outcome: ui.didOutcome.value,
        group: ui.didGroup.value,
        treated: ui.didTreated.value,
        period: ui.didPeriod.value,
        post: event ? undefined : ui.didWhen.value,
        start: event ? ui.didWhen.value : undefined,
        order: event && ui.didOrder.value.trim() ? ui.didOrder.value.replace(/\s*,\s*/g, ',').trim() : undefined,
        unit: ui.didUnit.value || undefined,
        balanced: ui.didUnit.value && ui.didBalanced.checked ? 'yes' : undefined,
        file: file.name,
      },
    };
  }

  function didError(text) {
    showError(text);
    ui.alert.dataset.source = 'did';
  }

  async function runDid({ auto = false } = {}) {
    const job = currentJob();
    if (!job?.preview || isPrivate()) return;
    const running = didActive?.job === job ? didActive : null;
    const shown = didShown?.job === job ? didShown : null;
    if (auto && !running && !shown) return;
    const { options: opts, problem } = readDid(job.file);
    if (problem) {
      didError(problem);
      return;
    }
    const key = JSON.stringify(opts);
    if (running?.key === key) return;
    if (auto && !running && shown?.key === key) return;
    if (running) client.cancel();
    const run = { job, key };
    didActive = run;
    ui.didSection.dataset.state = 'running';
    ui.didResults.setAttribute('aria-busy', 'true');
    ui.didStatus.textContent = 'Running…';
    try {
      const { result } = await client.request('did', { file: job.file, options: opts });
      if (run !== didActive) return;
      didRuns += 1;
      didShown = run;
      destroyDidCharts();
      const charts = renderDid(ui.didResults, result);
      renderDidCharts(charts);
      ui.didResults.dataset.run = String(didRuns);
      ui.didStatus.textContent = '';
      if (ui.alert.dataset.source === 'did') clearAlert();
      ui.didSection.dataset.state = 'done';
    } catch (err) {
      if (run !== didActive || err.code === 'cancelled') return;
      didShown = { job, key: null };  // re-run on the next change
      destroyDidCharts();
      ui.didResults.replaceChildren();
      ui.didStatus.textContent = '';
      didError(errorText(err, job.file.name));
      ui.didSection.dataset.state = 'error';
    } finally {
      if (run === didActive) {
        didActive = null;
        ui.didResults.setAttribute('aria-busy', 'false');
      }
    }
  }

  // Before the re-run (listeners run in order): the value lists follow their columns.
  ui.didGroup.addEventListener('change', fillDidValues);
  ui.didPeriod.addEventListener('change', () => fillDidWhen({ design: true }));
  ui.didUnit.addEventListener('change', syncDid);
  ui.didDesign.addEventListener('change', syncDid);
  ui.didForm.addEventListener('change', () => runDid({ auto: true }));
  ui.didForm.addEventListener('submit', (event) => {
    event.preventDefault();
    runDid();
  });

  return { reset: resetDid, fill: fillDid };
}
