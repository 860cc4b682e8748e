// privatepanel.js — the "Share privately" panel's controller: the mode's switch (remembered for
// the session), the declarations of a differentially private release read from its form, the
// release made by the worker and shown only as ledger.js settles it (privateview.js renders it,
// privateexport.js exports it).
import { el, errorText, formatBytes } from './view.js';
import { renderPrivateCharts, destroyPrivateCharts } from './charts.js';
import { renderRelease, renderLedger, privacyLabel } from './privateview.js';
import { sessionKey, settle, ledgerEntries } from './ledger.js';
import { initReleaseExports } from './privateexport.js';

const MODE_KEY = 'causeway.private.mode';

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

// A select of the column names after a first "none" choice; the chosen one stays if still there.
function columnOptions(select, names, none) {
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, none), ...names.map((n) => el('option', { value: n }, n)));
  select.value = names.includes(chosen) ? chosen : '';
}

// The core's messages name the CLI's flags; on the page, name the fields.
const PRIVATE_LABELS = {
  arms: 'the arm labels', bounds: 'the bounds', 'dp-epsilon': 'the privacy budget ε', 'dp-delta': 'the δ',
  resolution: 'the resolution', 'dp-interval': 'the interval method', control: 'the control arm',
  metric: 'the metric', unit: 'the person-id column', variant: 'the arm column',
};

// Only the column names of the preview are used; every declaration is typed or chosen by the
// person. A release goes through the same worker (client) as an analysis, so Cancel and a new
// file stop it; the page shows a release only as ledger.js settles it (the earlier one for the
// same data and parameters), and the fingerprint the worker sends goes nowhere else.
// ui: main.js's element map (the private* fields, Cancel and the progress row); currentJob():
// the open file's {file, preview}; setState, showError and clearAlert: the page's state and alert
// region; onModeChange(on): called when the mode is switched, for the rest of the page to follow.
export function createPrivatePanel({ ui, client, currentJob, setState, showError, clearAlert, onModeChange }) {
  let privateOn = false;     // no ordinary analysis runs or shows while it is on
  let privateActive = null;  // {job} of the release in the worker
  let privateShown = null;   // {result, text, markdown, label} of the release on the page
  let privateRuns = 0;

  // On: the ledger of this session's releases is shown. Off: a release still running is
  // stopped and the one on the page taken away. Either way the rest of the page follows.
  function setPrivate(on) {
    privateOn = on;
    ui.privateToggle.checked = on;
    ui.privateBody.hidden = !on;
    ui.privateSection.dataset.state = on ? 'on' : 'off';
    document.body.dataset.mode = on ? 'private' : 'normal';
    rememberMode(on);
    clearAlert();
    if (on) {
      renderLedger(ui.privateLedger, ledgerEntries());
    } else {
      stopRelease();
      clearRelease();
    }
    onModeChange(on);
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
    const job = currentJob();
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

  ui.privateToggle.addEventListener('change', () => setPrivate(ui.privateToggle.checked));
  ui.privateVariant.addEventListener('change', () => fillPrivateMetrics(currentJob()?.preview?.columns.map((c) => c.name) ?? []));
  ui.privateUnit.addEventListener('change', () => fillPrivateMetrics(currentJob()?.preview?.columns.map((c) => c.name) ?? []));
  ui.privateMetrics.addEventListener('change', syncPrivateMetrics);
  ui.privateArms.addEventListener('input', fillPrivateControl);
  ui.privateForm.addEventListener('submit', (event) => {
    event.preventDefault();
    release();
  });
  initReleaseExports({ output: ui.privateOutput, released: () => privateShown });

  return {
    isOn: () => privateOn,
    fill: fillPrivate,
    stop: stopRelease,
    clear: clearRelease,
    // Shows the session's ledger and switches the mode back on if it was on before a reload.
    start() {
      renderLedger(ui.privateLedger, ledgerEntries());
      if (rememberedMode()) setPrivate(true);
    },
  };
}
