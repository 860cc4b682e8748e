// adjust.test.mjs — covariate-adjusted comparisons (--covariates with --adjust additive|lin,
// --pre-metric for CUPED) through the WASM build and the Node module, against R's lm + sandwich
// (tests/fixtures/adjust_r.tsv, from tests/oracle/make_adjust_fixtures.R). Tolerance 1e-9
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

test('fixture has the seven cases', () => {
  assert.deepEqual([...cases.keys()], ['hillstrom_additive', 'hillstrom_lin', 'lalonde_additive', 'lalonde_lin', 'hillstrom_text_additive', 'hillstrom_text_lin',
    'lalonde_cuped']);
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
        if (r.field === 'difference') got = adj.difference;
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
