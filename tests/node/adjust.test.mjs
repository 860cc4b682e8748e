// adjust.test.mjs — covariate-adjusted comparisons (--covariates with --adjust additive|lin,
// --pre-metric for CUPED) through the WASM build and the Node module, against R's lm + sandwich
// and p.adjust (tests/fixtures/adjust_r.tsv, from tests/oracle/make_adjust_fixtures.R). Tolerance 1e-9
// relative, as tests/c/test_adjust.c explains (worst seen ~1.2e-11); and the bad inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeFile, analyzeBytes } from '../../wasm/node/index.js';
import { readTsv, relErr, ROOT } from './fixtures.js';

const rows = readTsv('adjust_r.tsv');
const cases = new Map();
for (const r of rows) {
  if (!cases.has(r.case)) cases.set(r.case, []);
  cases.get(r.case).push(r);
}

test('fixture has the eight cases', () => {
  assert.deepEqual([...cases.keys()], ['hillstrom_additive', 'hillstrom_lin', 'lalonde_additive', 'lalonde_lin', 'hillstrom_text_additive', 'hillstrom_text_lin',
    'lalonde_cuped', 'hillstrom_cuped']);
});

for (const [name, group] of cases) {
  test(`R lm/sandwich: ${name}`, async () => {
    const opts = [];
    let file;
    for (const r of group.filter((x) => x.key === 'option')) {
      if (r.field === 'file') file = r.value;
      else opts.push([r.field, r.value]);
    }
    const { result } = await analyzeFile(join(ROOT, file), opts);
    const m = result.metrics[0];
    let worst = 0;
    for (const r of group.filter((x) => x.key !== 'option')) {
      let got;
      if (r.key === 'metric') got = m.adjustment[r.field];
      else {
        const adj = m.comparisons.find((c) => c.arm === r.key).adjusted;
        if (r.field === 'difference' || r.field === 'p_adjusted') got = adj[r.field];
        else {
          const [type, field] = r.field.split('.');
          got = adj.estimates.find((e) => e.se_type === type)[field];
        }
      }
      assert.equal(typeof got, 'number', `${r.key} ${r.field} is ${got}`);
      const err = relErr(got, Number(r.value));
      worst = Math.max(worst, err);
      assert.ok(err <= 1e-9, `${r.key} ${r.field}: got ${got}, R ${r.value}, rel ${err}`);
    }
    test.diagnostic?.(`worst relative error ${worst.toExponential(2)}`);
  });
}

test('the unadjusted numbers do not change when an adjustment is asked for', async () => {
  const file = join(ROOT, 'tests/data/lalonde_nsw_dw.csv');
  const base = { variant: 'treat', control: '0', metric: 're78' };
  const plain = (await analyzeFile(file, base)).result.metrics[0];
  const adj = (await analyzeFile(file, { ...base, 'pre-metric': 're75' })).result.metrics[0];
  assert.equal(plain.adjustment, null);
  assert.equal(plain.comparisons[0].adjusted, null);
  assert.deepEqual({ ...adj.comparisons[0], adjusted: null }, plain.comparisons[0]);
  assert.equal(adj.adjustment.method, 'cuped');
});

test('the adjusted p-values are corrected as a family of their own, by the correction asked for', async () => {
  const file = join(ROOT, 'web/samples/hillstrom.csv');
  const base = { variant: 'segment', control: 'No E-Mail', metric: 'spend,visit', covariates: 'history,recency' };
  for (const correction of ['holm', 'bonferroni', 'BH']) {
    const { result } = await analyzeFile(file, { ...base, correction });
    for (const m of result.metrics) {
      const p = m.comparisons.map((c) => c.adjusted.p_value);
      const want = pAdjust(p, correction);
      m.comparisons.forEach((c, k) => assert.ok(relErr(c.adjusted.p_adjusted, want[k]) <= 1e-15,
        `${correction} ${m.name} ${c.arm}: ${c.adjusted.p_adjusted} against ${want[k]}`));
    }
  }
  const none = (await analyzeFile(file, { ...base, correction: 'none' })).result.metrics[0].comparisons[0].adjusted;
  assert.equal(none.p_adjusted, null);
  assert.equal(none.unavailable.p_adjusted, 'no correction requested');
});

// p.adjust's holm, bonferroni and BH (R's stats::p.adjust, written out again here).
function pAdjust(p, method) {
  const n = p.length;
  const order = p.map((x, i) => i).sort((a, b) => p[a] - p[b]);
  const out = new Array(n);
  if (method === 'bonferroni') return p.map((x) => Math.min(1, n * x));
  if (method === 'holm') {
    let run = 0;
    order.forEach((i, r) => { run = Math.max(run, Math.min(1, (n - r) * p[i])); out[i] = run; });
    return out;
  }
  let run = 1; // BH: from the largest down
  for (let r = n - 1; r >= 0; r--) { const i = order[r]; run = Math.min(run, (n / (r + 1)) * p[i]); out[i] = Math.min(1, run); }
  return out;
}

const BAD = 'arm,y,x,label\nA,1,2,a\nB,2,3,b\nA,3,1,c\nB,5,4,d\n';
for (const [opts, message] of [
  [{ covariates: 'nope' }, /no column named 'nope' \(the covariate\)/],
  [{ covariates: 'x,arm' }, /--covariates 'arm' is the variant column/],
  [{ covariates: 'y' }, /--covariates 'y' is also a metric/],
  [{ 'pre-metric': 'y' }, /--pre-metric 'y' is also a metric/],
  [{ adjust: 'lin' }, /--adjust needs --covariates/],
  [{ 'pre-metric': 'label' }, /the pre-metric column 'label' holds text/],
]) {
  test(`bad input: ${JSON.stringify(opts)}`, async () => {
    await assert.rejects(analyzeBytes(Buffer.from(BAD), { variant: 'arm', control: 'A', metric: 'y', ...opts }),
      message);
  });
}
