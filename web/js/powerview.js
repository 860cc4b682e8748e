// powerview.js — renders the core's power answer (schema causeway.power/1, the JSON of
// `causeway power`) as one sentence. Like view.js it knows no element ids and computes no
// statistics: each number it shows carries data-field (a JSON Pointer into the answer) and
// data-value (String of the full-precision number). Only arithmetic for reading is done here:
// a solved n is rounded up to whole users (and doubled for the total), and a solved mean
// difference is also given in standard deviations (delta / sd); those carry no data-field.
import { el, formatCount, formatNumber, formatPercent, formatPercent1 } from './view.js';

function field(value, key, format) {
  return el('strong', { 'data-field': `/${key}`, 'data-value': String(value) }, format(value));
}

// 0.8 → "80%", 0.29027 → "29.0%": power and levels, one decimal unless whole.
function percent(v) {
  const p = v * 100;
  return `${Number.isInteger(Math.round(p * 1e9) / 1e9) ? Math.round(p) : p.toFixed(1)}%`;
}

// A difference or an SD: four significant digits, without trailing zeros (0.2, not 0.2000).
function plain(v) {
  return formatNumber(v).replace(/(\.\d*?)0+(?=$|e)/, '$1').replace(/\.(?=$|e)/, '');
}

// A rate: "10.0%", small ones with two significant digits ("0.57%").
function rate(v) {
  return formatPercent1(v);
}

function users(n, key, solved) {
  // A solved n is a real number; people recruit whole users, so it is rounded up.
  const whole = solved ? Math.ceil(n - 1e-9) : n;
  const per = el('strong', { 'data-field': `/${key}`, 'data-value': String(n), title: solved ? `n = ${n}` : null },
    `${formatCount(whole)} ${whole === 1 ? 'user' : 'users'}`);
  return [per, ' per arm (', formatCount(whole * 2), ' in total)'];
}

function test(r) {
  const alpha = field(r.alpha, 'alpha', (v) => String(v));
  const sided = r.alternative === 'one-sided' ? 'one-sided' : 'two-sided';
  return ['at α = ', alpha, `, ${sided}${r.strict ? ' (both tails counted)' : ''}`];
}

function change(r) {
  if (r.type === 'proportions') {
    return ['a change from ', field(r.p1, 'p1', rate), ' to ', field(r.p2, 'p2', rate)];
  }
  return ['a difference in means of ', field(r.delta, 'delta', plain),
    ' (standard deviation ', field(r.sd, 'sd', plain), ')'];
}

// The sentence when the core could not solve: its reason, and the missing number as null.
function unavailable(r) {
  const key = r.solve === 'effect' ? (r.type === 'proportions' ? 'p2' : 'delta') : r.solve;
  const what = { n: 'the users per arm', power: 'the power', effect: 'the effect' }[r.solve] ?? r.solve;
  return el('p', { class: 'power-sentence power-unavailable' },
    `Cannot solve for ${what}: `,
    el('span', { 'data-field': `/${key}`, 'data-value': 'null', class: 'na' }, String(r.unavailable ?? 'not available')),
    '.');
}

// answer: the parsed causeway.power/1 document.
export function renderPower(container, r) {
  delete container.dataset.error;
  container.dataset.solve = r.solve;
  container.dataset.type = r.type;
  if (r.unavailable) {
    container.replaceChildren(unavailable(r));
    return;
  }
  const power = field(r.power, 'power', percent);
  let sentence;
  if (r.solve === 'n') {
    sentence = [...users(r.n, 'n', true), ' detect ', ...change(r), ' with ', power, ' power ', ...test(r), '.'];
  } else if (r.solve === 'power') {
    sentence = ['With ', ...users(r.n, 'n', false), ', ', ...change(r), ' is detected with ', power, ' power ',
      ...test(r), '.'];
  } else if (r.type === 'proportions') {
    sentence = ['With ', ...users(r.n, 'n', false), ', the smallest change detectable with ', power, ' power ',
      ...test(r), ' is from ', field(r.p1, 'p1', rate), ' to ', field(r.p2, 'p2', rate), ' (',
      field(r.effect, 'effect', (v) => `${formatPercent(v, true)} percentage points`), ').'];
  } else {
    sentence = ['With ', ...users(r.n, 'n', false), ', the smallest difference in means detectable with ', power,
      ' power ', ...test(r), ' is ', field(r.delta, 'delta', plain), ' (', plain(r.delta / r.sd),
      ' standard deviations of ', field(r.sd, 'sd', plain), ').'];
  }
  container.replaceChildren(el('p', { class: 'power-sentence' }, ...sentence));
}

export function renderPowerError(container, message) {
  container.dataset.error = 'true';
  container.replaceChildren(el('p', { class: 'power-sentence power-error' }, el('strong', {}, 'Cannot calculate: '), message));
}
