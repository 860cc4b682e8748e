// counts.test.mjs — the binary-metric statistics of the full result (through the WASM build and
// the Node module) against R on Hillstrom: prop.test / Wald / Newcombe / relative lift, 2x2
// chi-square with and without Yates, fisher.test, the arms x outcome chi-square, Wilson
// intervals and the sample-ratio check (tests/fixtures/counts_r.tsv, written by
// tests/oracle/make_counts_fixtures.R). Tolerance 1e-12 relative: the inputs are exact counts, so
// only the last bits of the special functions may differ from R's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeFile } from '../../wasm/node/index.js';
import { readTsv, relErr, ROOT } from './fixtures.js';

const TOL = 1e-12;
const rows = readTsv('counts_r.tsv').filter((r) => r.case.startsWith('hillstrom/'));
const runs = new Map();
async function result(alpha) {
  if (!runs.has(alpha)) {
    runs.set(alpha, analyzeFile(join(ROOT, 'web/samples/hillstrom.csv'), {
      variant: 'segment', control: 'No E-Mail', metric: ['visit', 'conversion'], alpha, fisher: 'always',
    }).then((r) => r.result));
  }
  return runs.get(alpha);
}

const PROP = {
  difference: (c) => c.newcombe.difference, wald_se: (c) => c.wald.se,
  wald_low: (c) => c.wald.ci_low, wald_high: (c) => c.wald.ci_high,
  newcombe_low: (c) => c.newcombe.ci_low, newcombe_high: (c) => c.newcombe.ci_high,
  chisq: (c) => c.chisq.statistic, z: (c) => c.z_test.z, p_value: (c) => c.z_test.p_value,
  pooled_se: (c) => c.z_test.se, lift: (c) => c.relative_lift.lift, lift_se: (c) => c.relative_lift.se,
  lift_low: (c) => c.relative_lift.ci_low, lift_high: (c) => c.relative_lift.ci_high,
  min_expected: (c) => c.chisq.min_expected, small_expected: (c) => Number(c.chisq.small_expected),
};

function check(got, r) {
  const want = Number(r.value);
  assert.equal(typeof got, 'number', `${r.case} ${r.func} ${r.field}: ${got}`);
  assert.ok(relErr(got, want) <= TOL, `${r.case} ${r.func} ${r.field}: got ${got}, R ${want}`);
}

test('binary comparisons, chi-square, Fisher and Wilson match R on Hillstrom', async () => {
  let checked = 0;
  for (const r of rows) {
    const [, metric, armKey] = r.case.split('/');
    const args = r.args.split(' ');
    if (metric === 'srm' || metric === 'padjust' || metric === 'channel') continue;
    const alpha = r.func === 'prop' ? Number(args[4]) : r.func === 'wilson' ? Number(args[2]) : 0.05;
    const res = await result(alpha);
    const m = res.metrics.find((x) => x.name === metric);
    const arm = armKey.replaceAll('_', ' ');
    const cmp = m.comparisons.find((c) => c.arm === arm);
    if (r.func === 'prop') check(PROP[r.field](cmp), r);
    else if (r.func === 'fisher') check(cmp.fisher.p_value, r);
    else if (r.func === 'wilson') {
      const a = res.arms.find((x) => x.name === arm).metrics[metric];
      check({ rate: a.mean, ci_low: a.ci_low, ci_high: a.ci_high }[r.field], r);
    } else if (r.func === 'chisq' && armKey === 'arms_x_outcome') {
      if (r.field === 'correction') continue;
      check(typeof m.chisq_arms[r.field] === 'boolean' ? Number(m.chisq_arms[r.field]) : m.chisq_arms[r.field], r);
    } else if (r.func === 'chisq') {
      if (r.field === 'correction') continue; // internal to the Yates statistic
      const obj = args[0] === '1' ? cmp.chisq_yates : cmp.chisq;
      check(typeof obj[r.field] === 'boolean' ? Number(obj[r.field]) : obj[r.field], r);
    } else continue;
    checked++;
  }
  assert.ok(checked > 150, `only ${checked} values checked`);
});

test('the sample-ratio check matches R chisq.test(x, p = ...)', async () => {
  const res = await result(0.05);
  for (const r of rows.filter((x) => x.case === 'hillstrom/srm/equal_thirds')) {
    const got = r.field === 'small_expected' ? Number(res.srm.small_expected ?? 0)
      : r.field === 'min_expected' ? Math.min(...res.srm.arms.map((a) => a.expected)) : res.srm[r.field];
    check(got, r);
  }
  assert.equal(res.srm.mismatch, false);
});

test('Holm-adjusted headline p-values follow from the raw ones (two arms)', async () => {
  const res = await result(0.05);
  for (const m of res.metrics) {
    assert.equal(m.correction, 'holm');
    const [a, b] = [...m.comparisons].sort((x, y) => x.p_value - y.p_value);
    assert.equal(a.p_adjusted, Math.min(1, 2 * a.p_value));
    assert.equal(b.p_adjusted, Math.min(1, Math.max(a.p_adjusted, b.p_value)));
  }
});
