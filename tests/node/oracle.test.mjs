// oracle.test.mjs — the WASM build, through the Node module (the wrapper the page's worker uses),
// against R's t.test on Hillstrom, LaLonde and Card–Krueger (tests/fixtures/ttest_r.tsv).
// Tolerance 1e-9 relative, as in tests/c/test_oracle.c: R accumulates in long double over two
// passes, the core in double over one; they agree to ~1e-13 here, so 1e-9 only lets real
// defects through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyzeFile } from '../../wasm/node/index.js';
import { readTsv, relErr, ROOT } from './fixtures.js';

const rows = readTsv('ttest_r.tsv');
const groups = new Map();
for (const r of rows) {
  const key = [r.file, r.variant, r.metric, r.alpha, r.winsorize, r.tail].join('|');
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(r);
}

test('fixture covers the three datasets', () => {
  const sets = new Set(rows.map((r) => r.dataset));
  assert.deepEqual([...sets].sort(), ['card_krueger', 'card_krueger_w90lower', 'hillstrom',
    'hillstrom_w995', 'lalonde', 'lalonde_w95both']);
  assert.ok(rows.length > 400);
});

for (const [key, group] of groups) {
  const { file, variant, metric, alpha, winsorize, tail } = group[0];
  const control = group.find((r) => r.control)?.control;
  test(`R t.test: ${key}`, async () => {
    const wins = winsorize ? { winsorize, 'winsorize-tail': tail } : {};
    const { result } = await analyzeFile(join(ROOT, file), {
      variant, control, metric: `${metric}:continuous`, alpha, ...wins,
    });
    let worst = 0;
    for (const r of group) {
      const want = Number(r.value);
      let got;
      if (r.stat === 'arm') {
        const arm = result.arms.find((a) => a.name === r.arm);
        got = arm.metrics[metric][r.field];
      } else {
        const cmp = result.metrics[0].comparisons.find((c) => c.arm === r.arm);
        got = cmp[r.stat][r.field];
      }
      assert.equal(typeof got, 'number', `${r.arm} ${r.stat} ${r.field} is ${got}`);
      const err = relErr(got, want);
      worst = Math.max(worst, err);
      assert.ok(err <= 1e-9, `${r.arm} ${r.stat} ${r.field}: got ${got}, R ${want}, rel ${err}`);
    }
    test.diagnostic?.(`worst relative error ${worst.toExponential(2)}`);
  });
}
