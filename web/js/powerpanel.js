// powerpanel.js — the power and sample-size panel's controller: reads its form, asks a worker of
// its own for the answer (powerview.js shows it), and takes p1 and p2 from an analysis until the
// person types a rate of their own.
import { renderPower, renderPowerError } from './powerview.js';

// "a number from 0 to 1", "a whole number of at least 2": what an input accepts, in words.
function wanted(input) {
  const kind = input.step === '1' ? 'a whole number' : 'a number';
  if (input.min && input.max) return `${kind} from ${input.min} to ${input.max}`;
  if (input.min) return `${kind} of at least ${input.min}`;
  return kind;
}

// The core's messages name the CLI's flags; on the page, name the fields.
const POWER_LABELS = { n: 'users per arm', p1: 'control rate p1', p2: 'treatment rate p2', delta: 'mean difference',
  sd: 'standard deviation', power: 'power', alpha: 'α' };
function powerMessage(text) {
  return String(text).replace(/--(\w+)/g, (m, name) => POWER_LABELS[name] ?? m);
}

// ui: main.js's element map (the power* fields); client: a WorkerClient used for nothing else,
// so that an answer never waits behind (or is cancelled with) an analysis of a large file.
export function createPowerPanel({ ui, client }) {
  const powerValue = (name) => ui.powerForm.querySelector(`input[name="power-${name}"]:checked`)?.value;
  let powerSeq = 0;
  let powerTimer = 0;

  // Show the fields of the chosen metric type; the one solved for is filled in by the answer.
  function syncPowerForm() {
    const type = powerValue('type');
    const solve = powerValue('solve');
    for (const field of ui.powerForm.querySelectorAll('.power-fields .field')) {
      const forType = field.dataset.type;
      field.hidden = Boolean(forType && forType !== type);
      const solved = field.dataset.solve === solve;
      field.classList.toggle('is-solved', solved);
      const input = field.querySelector('input');
      if (input) input.readOnly = solved;
    }
    ui.powerSource.hidden = type !== 'proportions';
  }

  function readPower() {
    const type = powerValue('type');
    const solve = powerValue('solve');
    const given = {
      n: ['n', ui.powerN, 'the users per arm'],
      power: ['power', ui.powerPower, 'the power'],
      effect: type === 'proportions' ? ['p2', ui.powerP2, 'the treatment rate p2'] : ['delta', ui.powerDelta, 'the mean difference'],
    };
    const options = { type, solve, alpha: ui.powerAlpha.value.trim(), alternative: ui.powerAlternative.value,
      strict: ui.powerStrict.checked ? 'yes' : 'no' };
    const needed = [...Object.entries(given).filter(([k]) => k !== solve).map(([, v]) => v),
      type === 'proportions' ? ['p1', ui.powerP1, 'the control rate p1'] : ['sd', ui.powerSd, 'the standard deviation'],
      ['alpha', ui.powerAlpha, 'the significance level α']];
    for (const [name, input, label] of needed) {
      const value = input.value.trim();
      if (!value || !input.checkValidity()) return { problem: `enter ${label} as ${wanted(input)}.` };
      options[name] = value;
    }
    return { options, solvedInput: given[solve][1], solvedKey: given[solve][0] };
  }

  async function computePower() {
    clearTimeout(powerTimer);
    syncPowerForm();
    const seq = ++powerSeq;
    const { options, problem, solvedInput, solvedKey } = readPower();
    if (problem) {
      renderPowerError(ui.powerAnswer, problem);
      return;
    }
    try {
      const { result } = await client.request('power', { options });
      if (seq !== powerSeq) return;
      renderPower(ui.powerAnswer, result);
      const value = result[solvedKey];
      if (typeof value === 'number') {
        solvedInput.value = solvedKey === 'n' ? String(Math.ceil(value - 1e-9)) : String(Number(value.toPrecision(4)));
      } else {
        solvedInput.value = '';
      }
    } catch (err) {
      if (seq !== powerSeq || err.code === 'cancelled') return;
      renderPowerError(ui.powerAnswer, powerMessage(err.message));
    }
  }

  function schedulePower() {
    clearTimeout(powerTimer);
    powerTimer = setTimeout(computePower, 150);
  }

  // p1 from the control's observed rate of the first binary metric, p2 a 10% relative lift:
  // only while the person has not typed a rate of their own.
  function prefillPower(result) {
    if (ui.powerP1.dataset.touched || ui.powerP2.dataset.touched) return;
    const metric = (result.metrics ?? []).find((m) => m.kind === 'binary');
    const control = result.arms.find((a) => a.control);
    const rate = metric ? control?.metrics?.[metric.name]?.mean : null;
    if (typeof rate !== 'number' || !(rate > 0 && rate < 0.9)) return;
    ui.powerP1.value = String(Number(rate.toPrecision(3)));
    ui.powerP2.value = String(Number((rate * 1.1).toPrecision(3)));
    ui.powerSource.textContent = `p1 is the control arm’s ${metric.name} rate in ${result.input.file || 'the file'}, `
      + 'rounded; p2 a 10% relative lift on it. Change either.';
    if (powerValue('type') === 'proportions') schedulePower();
  }

  // p1 and p2 of the power panel taken from an analysis are true rates: put the defaults back.
  function resetPowerPrefill() {
    if (!ui.powerSource.textContent || ui.powerP1.dataset.touched || ui.powerP2.dataset.touched) return;
    ui.powerP1.value = ui.powerP1.defaultValue;
    ui.powerP2.value = ui.powerP2.defaultValue;
    ui.powerSource.textContent = '';
    computePower();
  }

  for (const input of [ui.powerP1, ui.powerP2]) {
    input.addEventListener('input', () => {
      input.dataset.touched = 'true';
      ui.powerSource.textContent = '';
    });
  }
  ui.powerForm.addEventListener('input', schedulePower);
  ui.powerForm.addEventListener('change', computePower);
  ui.powerForm.addEventListener('submit', (event) => {
    event.preventDefault();
    computePower();
  });

  return {
    // Shows the form for its defaults and computes the first answer.
    start() {
      syncPowerForm();
      computePower();
    },
    prefill: prefillPower,
    resetPrefill: resetPowerPrefill,
  };
}
