// power.test.mjs — the "power" face (the WASM build through the Node module, and both CLIs)
// against R's power.t.test / power.prop.test (tests/fixtures/power_r.tsv, written by
// tests/oracle/make_power_fixtures.R with tol = 1e-14). Tolerance 1e-9 relative, as the C test:
// R's non-central t is ragged at ~2e-10 for df near 1e5, which bounds the solved n.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { power } from '../../wasm/node/index.js';
import { readTsv, relErr, ROOT } from './fixtures.js';

const rows = readTsv('power_r.tsv').filter((r) => (r.kind === 't' || r.kind === 'prop') && r.value !== 'NA'
  && r.solve !== 'p2_below');
const SOLVE = { power: 'power', n: 'n', delta: 'effect', p2: 'effect' };
const SAMPLE = { 'two.sample': 'two', 'one.sample': 'one', paired: 'paired' };

function options(r) {
  const o = [['solve', SOLVE[r.solve]], ['alpha', r.sig_level],
    ['alternative', r.alternative === 'one.sided' ? 'one-sided' : 'two-sided'],
    ['strict', r.strict === 'TRUE' ? 'yes' : 'no']];
  if (r.kind === 't') o.push(['type', 'means'], ['sample', SAMPLE[r.type]], ['sd', r.sd]);
  else o.push(['type', 'proportions'], ['p1', r.p1]);
  for (const k of ['n', 'delta', 'p2', 'power']) if (r[k] !== 'NA' && r[k] !== '') o.push([k, r[k]]);
  return o;
}

test('every solve direction matches R', async () => {
  assert.ok(rows.length > 2000, `${rows.length} rows`);
  let worst = 0;
  for (const r of rows) {
    const { result } = await power(options(r));
    const got = result[r.solve === 'delta' ? 'delta' : r.solve];
    assert.equal(typeof got, 'number', `${JSON.stringify(r)} gave ${result.unavailable}`);
    const err = relErr(got, Number(r.value));
    worst = Math.max(worst, err);
    assert.ok(err <= 1e-9, `${JSON.stringify(r)}: got ${got}`);
  }
  test.diagnostic?.(`worst relative error ${worst.toExponential(2)}`);
});

test('both CLIs print the same power JSON; bad options are usage errors', () => {
  const cases = [['--p1', '0.1', '--p2', '0.12', '--power', '0.8'], ['--delta', '0.2', '--n', '100'],
    ['--n', '500', '--power', '0.9', '--sd', '3']];
  for (const args of cases) {
    const a = spawnSync(join(ROOT, 'build/causeway'), ['power', ...args], { encoding: 'utf8' });
    const b = spawnSync(process.execPath, [join(ROOT, 'wasm/node/cli.js'), 'power', ...args], { encoding: 'utf8' });
    assert.equal(a.status, 0, a.stderr);
    assert.equal(b.stdout, a.stdout);
  }
  for (const args of [['--p1', '0.1'], ['--n', 'x', '--power', '0.8'], ['--colour', 'red']]) {
    const a = spawnSync(join(ROOT, 'build/causeway'), ['power', ...args], { encoding: 'utf8' });
    const b = spawnSync(process.execPath, [join(ROOT, 'wasm/node/cli.js'), 'power', ...args], { encoding: 'utf8' });
    assert.equal(a.status, 2);
    assert.equal(b.stderr, a.stderr);
  }
});

test('an impossible request says why instead of a number', async () => {
  const { result } = await power({ p1: 0.1, p2: 0.12, power: 0.01 }); // power below alpha
  assert.equal(result.n, null);
  assert.match(result.unavailable, /./);
});
