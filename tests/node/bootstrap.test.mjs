// bootstrap.test.mjs — the percentile bootstrap (--bootstrap R --seed S) through every face:
// reproducible for a seed, different for another, identical in the native and Node CLIs, and
// in agreement with Welch's interval where both are valid (Hillstrom: n ~ 21,000 per arm).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { analyzeFile } from '../../wasm/node/index.js';
import { ROOT } from './fixtures.js';

const FILE = join(ROOT, 'web/samples/hillstrom.csv');
const opts = (seed) => ({
  variant: 'segment', control: 'No E-Mail', metric: ['conversion', 'spend'], bootstrap: 2000, seed,
});

test('same seed, same bytes; another seed, other numbers', async () => {
  const a = await analyzeFile(FILE, opts(7));
  const b = await analyzeFile(FILE, opts(7));
  const c = await analyzeFile(FILE, opts(8));
  assert.equal(a.text, b.text);
  assert.notEqual(a.text, c.text);
  const boot = a.result.metrics[1].comparisons[0].bootstrap;
  assert.deepEqual([boot.scheme, boot.replicates, boot.seed, boot.buckets], ['buckets', 2000, 7, 1024]);
  assert.equal(a.result.metrics[0].comparisons[0].bootstrap.scheme, 'binomial');
});

test('native and Node CLIs agree on the bootstrap to the last digit', () => {
  const args = ['analyze', 'web/samples/hillstrom.csv', '--variant', 'segment', '--control', 'No E-Mail',
    '--metric', 'conversion,spend', '--bootstrap', '500', '--seed', '3'];
  const native = spawnSync(join(ROOT, 'build/causeway'), args, { cwd: ROOT, encoding: 'utf8' });
  const node = spawnSync(process.execPath, [join(ROOT, 'wasm/node/cli.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(native.status, 0, native.stderr);
  assert.equal(node.stdout, native.stdout);
});

// With 2,000 replicates the bootstrap SE has a relative sampling error of about 1/sqrt(2*2000)
// = 1.6%; allowing 10% (6 of those) makes a false alarm negligible while a wrong scheme (e.g. a
// bucket count treated as the sample size) would miss by far more.
test('bootstrap SE and interval agree with Welch on large arms', async () => {
  const { result } = await analyzeFile(FILE, opts(11));
  for (const m of result.metrics) {
    for (const c of m.comparisons) {
      const w = c.welch;
      const b = c.bootstrap;
      assert.ok(Math.abs(b.se / w.se - 1) < 0.1, `${m.name} ${c.arm}: SE ${b.se} vs Welch ${w.se}`);
      const half = (w.ci_high - w.ci_low) / 2;
      assert.ok(Math.abs(b.ci_low - w.ci_low) < 0.15 * half, `${m.name} ${c.arm}: low ${b.ci_low} vs ${w.ci_low}`);
      assert.ok(Math.abs(b.ci_high - w.ci_high) < 0.15 * half, `${m.name} ${c.arm}: high ${b.ci_high} vs ${w.ci_high}`);
    }
  }
});

test('bad bootstrap options are usage errors', () => {
  for (const [flag, value] of [['--bootstrap', '10'], ['--bootstrap', 'x'], ['--seed', '-1'],
    ['--seed', '9007199254740992']]) {
    const r = spawnSync(join(ROOT, 'build/causeway'), ['analyze', 'web/samples/hillstrom.csv', flag, value], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(flag));
  }
});
