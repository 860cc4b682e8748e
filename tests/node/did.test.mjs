// did.test.mjs — causeway did on Card & Krueger (1994): the four cell means and the regression
// fte ~ nj + post + nj:post with classical, HC1 and store-clustered CR1 errors, against R lm +
// sandwich (tests/fixtures/ols_r.tsv, cases card_krueger and card_krueger_balanced, written by
// tests/oracle/make_ols_fixtures.R), through the WASM build; both CLIs print the same bytes.
// Tolerance 1e-9 relative as for the OLS core (it agrees to ~1e-12 here); p-values on log p.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { didFile } from '../../wasm/node/index.js';
import { readTsv, relErr, ROOT } from './fixtures.js';

const FILE = join(ROOT, 'tests/data/card_krueger_panel_long.csv');
const BASE = { outcome: 'fte', group: 'nj', treated: '1', period: 'wave', post: '2', unit: 'store_id' };
const rows = readTsv('ols_r.tsv');
const TERMS = { 1: '(intercept)', nj: 'treated', post: 'post', 'nj*post': 'treated:post' };
const SE = { classical: 'classical', HC1: 'hc1', CR1: 'cr1' };

for (const [name, balanced] of [['card_krueger', false], ['card_krueger_balanced', true]]) {
  test(`R lm + sandwich on ${name}`, async () => {
    const { result } = await didFile(FILE, balanced ? { ...BASE, balanced: 'yes' } : BASE);
    let checked = 0;
    for (const r of rows.filter((x) => x.case === name && SE[x.section] && TERMS[x.name])) {
      const coef = result.regression.coefficients.find((c) => c.term === TERMS[r.name]);
      const got = r.field === 'estimate' ? coef.estimate : coef[SE[r.section]][r.field];
      const want = Number(r.value);
      const err = r.field === 'p_value' ? Math.abs(Math.log(got) - Math.log(want)) : relErr(got, want);
      assert.ok(err <= 1e-9, `${name} ${r.section} ${r.name} ${r.field}: got ${got}, R ${want}`);
      checked++;
    }
    assert.ok(checked >= 60, `${checked} values`);
    const n = rows.find((x) => x.case === name && x.section === 'fit' && x.field === 'n');
    assert.equal(result.regression.n, Number(n.value));
    const g = rows.find((x) => x.case === name && x.section === 'fit' && x.field === 'clusters');
    assert.equal(result.regression.clusters, Number(g.value));
    // the interaction equals the difference of the cell means' differences
    assert.ok(relErr(result.difference_in_differences,
      result.regression.coefficients.find((c) => c.term === 'treated:post').estimate) < 1e-12);
  });
}

test('Card & Krueger Table 3: DiD 2.75 with a store-clustered SE of 1.34 on the balanced panel', async () => {
  const { result } = await didFile(FILE, { ...BASE, balanced: 'yes' });
  const c = result.regression.coefficients.find((x) => x.term === 'treated:post');
  assert.equal(Number(c.estimate.toFixed(2)), 2.75);
  assert.equal(Number(c.cr1.se.toFixed(2)), 1.34);
  assert.equal(result.input.rows_used, 768);
  assert.equal(result.input.encoding, 'utf-8');
});

test('both CLIs agree; bad options and a third period are clear errors', () => {
  const run = (bin, args) => spawnSync(bin[0], [...bin.slice(1), 'did', ...args], { cwd: ROOT, encoding: 'utf8' });
  const native = [join(ROOT, 'build/causeway')];
  const node = [process.execPath, join(ROOT, 'wasm/node/cli.js')];
  const ok = ['tests/data/card_krueger_panel_long.csv', '--outcome', 'fte', '--group', 'nj', '--treated', '1',
    '--period', 'wave', '--post', '2', '--unit', 'store_id', '--balanced'];
  assert.equal(run(node, ok).stdout, run(native, ok).stdout);
  assert.equal(run(native, ok).status, 0);
  for (const args of [ok.filter((a) => a !== '--unit' && a !== 'store_id'), // --balanced without --unit
    ['tests/data/card_krueger_panel_long.csv', '--outcome', 'fte'], // missing flags
    ['tests/data/card_krueger_panel_long.csv', ...ok.slice(1, 5), '--treated', '1', '--period', 'store_id', '--post', '2']]) {
    const a = run(native, args);
    const b = run(node, args);
    assert.notEqual(a.status, 0);
    assert.equal(b.stderr, a.stderr);
    assert.match(a.stderr, /^error: /);
  }
});

// Event study (--start): tests/data/event_panel.csv and tests/fixtures/event_r.tsv come from
// tests/oracle/make_event_fixtures.R (R lm + sandwich, a seeded six-period panel).
const EVENT = join(ROOT, 'tests/data/event_panel.csv');
const event = readTsv('event_r.tsv');
const ORDER = '2023-1,2023-2,2023-3,2023-4,2024-1,2024-2';

for (const [name, balanced] of [['all', false], ['balanced', true]]) {
  test(`event study matches R (${name} rows): coefficients, classical/HC1/CR1 errors, pre-trend test`, async () => {
    const opts = { outcome: 'y', group: 'treated', treated: '1', period: 'period', start: '2023-4', unit: 'unit', order: ORDER };
    const { result } = await didFile(EVENT, balanced ? { ...opts, balanced: 'yes' } : opts);
    assert.equal(result.reference, '2023-3');
    let checked = 0;
    for (const r of event.filter((x) => x.case === name)) {
      const want = Number(r.value);
      let got;
      if (r.period === '-') got = r.field === 'n' ? result.regression.n : result.regression.clusters;
      else if (r.period === 'pretrend') got = result.pretrend[r.field];
      else {
        const e = result.event_study.find((x) => x.period === r.period);
        if (r.field === 'estimate') got = e.estimate;
        else {
          const [se, ...rest] = r.field.split('_');
          got = e[se][rest.join('_')];
        }
      }
      const err = /p_/.test(r.field) ? Math.abs(Math.log(got) - Math.log(want)) : relErr(got, want);
      assert.ok(err <= 1e-9, `${name} ${r.period} ${r.field}: got ${got}, R ${want}`);
      checked++;
    }
    assert.ok(checked >= 60, `${checked} values`);
  });
}

test('did --covariates matches R lm(fte ~ nj * post + co_owned + chain) with store clusters', async () => {
  const { result } = await didFile(FILE, { ...BASE, covariates: 'co_owned,chain' });
  const terms = { 'nj:post': 'treated:post', co_owned: 'co_owned', chain: 'chain' };
  let checked = 0;
  for (const r of event.filter((x) => x.case === 'ck_covariates')) {
    const want = Number(r.value);
    let got;
    if (r.period === '-') got = r.field === 'n' ? result.regression.n : result.regression.clusters;
    else {
      const c = result.regression.coefficients.find((x) => x.term === terms[r.period]);
      got = r.field === 'estimate' ? c.estimate : c[r.field.split('_')[0]].se;
    }
    assert.ok(relErr(got, want) <= 1e-9, `${r.period} ${r.field}: got ${got}, R ${want}`);
    checked++;
  }
  assert.equal(checked, 14);
  assert.deepEqual(result.options.covariates, ['co_owned', 'chain']);
  await assert.rejects(didFile(join(ROOT, 'tests/data/event_panel.csv'), {
    outcome: 'y', group: 'treated', treated: '1', period: 'period', start: '2023-4', covariates: 'unit',
  }), (err) => /holds text/.test(err.message) && err.line > 1 && err.column === 1);
});

test('event study: both CLIs agree; --start must name a later period', () => {
  const run = (bin, args) => spawnSync(bin[0], [...bin.slice(1), 'did', ...args], { cwd: ROOT, encoding: 'utf8' });
  const native = [join(ROOT, 'build/causeway')];
  const node = [process.execPath, join(ROOT, 'wasm/node/cli.js')];
  const args = ['tests/data/event_panel.csv', '--outcome', 'y', '--group', 'treated', '--treated', '1',
    '--period', 'period', '--start', '2023-4', '--unit', 'unit', '--order', ORDER];
  assert.equal(run(node, args).stdout, run(native, args).stdout);
  const first = run(native, [...args.slice(0, 10), '2023-1', ...args.slice(11)]);
  assert.equal(first.status, 1);
  assert.match(first.stderr, /no pre-period/);
});
