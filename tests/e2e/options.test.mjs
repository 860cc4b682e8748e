// options.test.mjs — the page's advanced options (bootstrap, winsorizing, unit ids, Fisher), a
// summary-statistics file and the power panel, end to end in Debian's headless Chromium driven
// by playwright-core, set up exactly as page.test.mjs: the page served by web/serve.js on a free
// port, every test failing on a console or page error and on any request beyond the page's
// origin. The oracle is the native CLI on the same file with the same flags: the worker runs the
// same C core, so every number shown (data-field/data-value) must equal the CLI's exactly.
// Needs `bash build.sh` first (web/build/, web/vendor/, build/causeway).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT, at, WAIT, HILLSTROM_ARGS, useBrowser, settled, noNaN, cli, assertShownEqual, resultWith,
  chooseLalonde,
} from './harness.js';

const { openPage, closePage } = useBrowser();

async function openAdvanced(page) {
  await page.evaluate(() => { document.getElementById('advanced').open = true; });
}

test('bootstrap 500, seed 3 on Hillstrom: the bootstrap intervals are the CLI\'s, in the table and the details', async () => {
  const session = await openPage();
  const { page } = session;
  assert.equal(await settled(page, 'hillstrom.csv'), 'done');
  assert.equal(await page.locator('#results [data-field$="/bootstrap/ci_low"]').count(), 0, 'no bootstrap by default');

  await openAdvanced(page);
  await page.check('#bootstrap-check');
  await page.fill('#bootstrap-input', '500');
  await page.press('#bootstrap-input', 'Tab');
  await page.fill('#seed-input', '3');
  await page.press('#seed-input', 'Enter');
  await resultWith(page, { '/options/bootstrap': '500', '/options/seed': '3' });

  const expected = cli('analyze', 'web/samples/hillstrom.csv', ...HILLSTROM_ARGS, '--bootstrap', '500', '--seed', '3');
  const fields = await assertShownEqual(page, expected);
  expected.metrics.forEach((metric, mi) => metric.comparisons.forEach((c, ci) => {
    const base = `/metrics/${mi}/comparisons/${ci}/bootstrap`;
    assert.equal(c.bootstrap.scheme, metric.kind === 'binary' ? 'binomial' : 'buckets');
    for (const k of ['ci_low', 'ci_high', 'se', 'scheme', 'replicates', 'seed']) assert.ok(fields.has(`${base}/${k}`), `${base}/${k} is shown`);
    if (c.bootstrap.scheme === 'buckets') assert.ok(fields.has(`${base}/buckets`));
  }));
  // The interval is a column of the comparisons table (as well as a row of the details).
  for (const metric of ['visit', 'conversion', 'spend']) {
    const section = `#results section.metric[data-metric="${metric}"]`;
    assert.match(await page.innerText(`${section} table.comparisons thead`), /Bootstrap 95% CI/);
    assert.equal(await page.locator(`${section} table.comparisons [data-field$="/bootstrap/ci_low"]`).count(), 2);
    assert.equal(await page.locator(`${section} table.details-table [data-field$="/bootstrap/ci_high"]`).count(), 2);
  }
  await page.click('#results section.metric[data-metric="spend"] details.more-stats summary');
  assert.match(await page.innerText('#results section.metric[data-metric="spend"] table.details-table'),
    /Bootstrap percentile interval\s+resampling buckets of rows \(1,024 per arm\), 500 replicates, seed 3/);
  assert.match(await page.innerText('#advanced summary'), /bootstrap, 500 replicates/);
  await noNaN(page);
  await closePage(session);
});

test('winsorize 0.95, both tails, on LaLonde re78: every number is the CLI\'s, the caps are shown, the reads are named', async () => {
  const session = await openPage();
  const { page } = session;
  await chooseLalonde(page);
  await openAdvanced(page);
  assert.ok(await page.isDisabled('#winsorize-tail-select'), 'no tail to choose while winsorizing is off');
  await page.selectOption('#winsorize-select', '0.95');
  await page.selectOption('#winsorize-tail-select', 'both');
  // Every text the progress line shows, to see the second and third reads named.
  await page.evaluate(() => {
    window.progressTexts = [];
    const text = document.getElementById('progress-text');
    new MutationObserver(() => window.progressTexts.push(text.textContent))
      .observe(text, { childList: true, characterData: true, subtree: true });
  });
  await page.click('#analyze-button');
  await resultWith(page, { '/options/winsorize/quantile': '0.95', '/metrics/0/winsorized/quantile': '0.95' });

  const expected = cli('analyze', 'tests/data/lalonde_nsw_dw.csv', '--variant', 'treat', '--control', '0',
    '--metric', 're78', '--winsorize', '0.95', '--winsorize-tail', 'both');
  assert.equal(expected.metrics[0].winsorized.tail, 'both');
  const fields = await assertShownEqual(page, expected);
  for (const k of ['cap_low', 'cap_high', 'capped_low', 'capped_high']) {
    assert.ok(fields.has(`/metrics/0/winsorized/${k}`), `winsorized/${k} is shown`);
  }
  for (const f of ['/arms/0/metrics/re78/mean', '/arms/1/metrics/re78/sd', '/metrics/0/comparisons/0/difference',
    '/metrics/0/comparisons/0/ci_low', '/metrics/0/comparisons/0/p_value']) assert.ok(fields.has(f), `${f} is shown`);
  // The capped mean differs from the raw one, so the comparison above is not vacuous.
  const raw = cli('analyze', 'tests/data/lalonde_nsw_dw.csv', '--variant', 'treat', '--control', '0', '--metric', 're78');
  assert.notEqual(raw.metrics[0].comparisons[0].difference, expected.metrics[0].comparisons[0].difference);

  const note = await page.innerText('#results section.metric[data-metric="re78"] .winsor-note');
  assert.match(note, /Every number of re78 .* uses capped values/);
  assert.match(note, /upper cap 16,985 \(the 95% quantile\), 23 values above it set to it/);
  assert.match(note, /lower cap 0 \(the 5% quantile\), 0 values below it set to it/);
  assert.match(await page.innerText('#results section.metric[data-metric="re78"] .metric-head'), /winsorized/i);
  const reads = await page.evaluate(() => window.progressTexts);
  assert.ok(reads.some((t) => /second read/.test(t)), `the second read is named: ${JSON.stringify(reads)}`);
  assert.ok(reads.some((t) => /third read/.test(t)), `the third read is named: ${JSON.stringify(reads)}`);
  await noNaN(page);
  await closePage(session);
});

test('a unit-id column: repeated ids and an id in both arms are warned about, with the CLI\'s counts', async () => {
  const session = await openPage();
  const { page } = session;
  await settled(page, 'hillstrom.csv');
  await page.setInputFiles('#file-input', at('tests/data/duplicate_units.csv'));
  assert.equal(await settled(page, 'duplicate_units.csv'), 'done');
  assert.equal(await page.inputValue('#unit-select'), '', 'no unit column until one is chosen');
  assert.equal((await page.textContent('#alert')).trim(), '');

  await openAdvanced(page);
  await page.selectOption('#unit-select', 'user_id');
  await resultWith(page, { '/input/units/distinct': '60' });

  const args = ['--variant', 'variant', '--control', 'control', '--metric', 'converted,revenue'];
  const expected = cli('analyze', 'tests/data/duplicate_units.csv', ...args, '--unit', 'user_id');
  const fields = await assertShownEqual(page, expected, '#results');
  const units = expected.input.units;
  assert.equal(units.repeated_rows, 4);
  assert.equal(units.ids_in_several_arms, 1);
  for (const k of ['distinct', 'missing', 'repeated_rows', 'ids_in_several_arms', 'first_repeat_line', 'first_cross_arm_line']) {
    assert.ok(fields.has(`/input/units/${k}`), `input.units.${k} is shown`);
  }
  // Both warnings reach the alert region and the warnings of the summary, with their lines.
  const codes = expected.warnings.map((w) => w.code).sort();
  assert.deepEqual(codes, ['duplicate_units', 'units_in_several_arms']);
  const alert = await page.innerText('#alert');
  assert.match(alert, /2 warnings/);
  const listed = await page.innerText('#results .input-info .warnings');
  for (const w of expected.warnings) {
    const text = `Line ${w.line}, column ${w.column}: ${w.message[0].toUpperCase()}${w.message.slice(1)}`;
    assert.ok(alert.includes(text), `alert says "${text}"`);
    assert.ok(listed.includes(text), `the warnings list says "${text}"`);
  }
  assert.match(await page.innerText('#results .units'), /Unit ids from column user_id/);
  await noNaN(page);
  await closePage(session);
});

test('the power panel solves for n and for power exactly as `causeway power`, and says why when it cannot', async () => {
  const session = await openPage();
  const { page } = session;
  await settled(page, 'hillstrom.csv');
  const answer = '#power-answer';

  // Proportions: p1 0.1, p2 0.12, power 0.8 → n.
  await page.click('label[for="power-type-proportions"]');
  await page.click('label[for="power-solve-n"]');
  await page.fill('#power-p1', '0.1');
  await page.fill('#power-p2', '0.12');
  await page.fill('#power-power', '0.8');
  await page.fill('#power-alpha', '0.05');
  const props = cli('power', '--p1', '0.1', '--p2', '0.12', '--power', '0.8');
  await page.waitForFunction((n) => document.querySelector('#power-answer [data-field="/n"]')?.dataset.value === n,
    String(props.n), { timeout: WAIT });
  await assertShownEqual(page, props, answer);
  assert.equal((await page.innerText(answer)).trim(),
    '3,841 users per arm (7,682 in total) detect a change from 10.0% to 12.0% with 80% power at α = 0.05, two-sided.');
  assert.equal(await page.inputValue('#power-n'), '3841', 'the solved field shows the answer');

  // Means: delta 0.2, n 100 (sd 1) → power.
  await page.click('label[for="power-type-means"]');
  await page.click('label[for="power-solve-power"]');
  await page.fill('#power-delta', '0.2');
  await page.fill('#power-sd', '1');
  await page.fill('#power-n', '100');
  const means = cli('power', '--delta', '0.2', '--n', '100');
  await page.waitForFunction((p) => document.querySelector('#power-answer [data-field="/power"]')?.dataset.value === p,
    String(means.power), { timeout: WAIT });
  const fields = await assertShownEqual(page, means, answer);
  for (const f of ['/n', '/delta', '/sd', '/power', '/alpha']) assert.ok(fields.has(f), `${f} is shown`);
  assert.match(await page.innerText(answer), /With 100 users per arm \(200 in total\), a difference in means of 0\.2 .* is detected with 29\.0% power/);

  // One-sided, and an answer that does not exist: the core's sentence is shown.
  await page.click('label[for="power-type-proportions"]');
  await page.click('label[for="power-solve-n"]');
  await page.fill('#power-p1', '0.5');
  await page.fill('#power-p2', '0.5');
  await page.selectOption('#power-alternative', 'one-sided');
  const none = cli('power', '--p1', '0.5', '--p2', '0.5', '--power', '0.8', '--alternative', 'one-sided');
  assert.equal(none.n, null);
  await page.waitForFunction(() => document.querySelector('#power-answer [data-field="/n"]')?.dataset.value === 'null',
    null, { timeout: WAIT });
  await assertShownEqual(page, none, answer);
  assert.ok((await page.innerText(answer)).includes(none.unavailable), 'the unavailable sentence is shown');

  // An empty field is named, not sent.
  await page.fill('#power-p1', '');
  await page.waitForFunction(() => document.getElementById('power-answer').dataset.error === 'true', null, { timeout: WAIT });
  assert.match(await page.innerText(answer), /control rate p1/);
  assert.equal(await page.locator('[role=alert]').count(), 1, 'still one alert region');
  await noNaN(page);
  await closePage(session);
});

test('a summary file (sums per arm × channel) shows the CLI\'s differences and p-values, and says it is a summary', async () => {
  const session = await openPage();
  const { page } = session;
  await settled(page, 'hillstrom.csv');
  await page.setInputFiles('#file-input', at('tests/data/hillstrom_summary.csv'));
  assert.equal(await settled(page, 'hillstrom_summary.csv'), 'done');

  const chosen = await page.$$eval('#metric-list input:checked', (boxes) => boxes.map((b) => b.value));
  assert.deepEqual(chosen, ['spend', 'conversion'], 'the metrics the sums describe, not the sum columns');
  const expected = cli('analyze', 'tests/data/hillstrom_summary.csv', '--variant', 'segment', '--control', 'No E-Mail',
    '--metric', 'spend,conversion');
  assert.equal(expected.input.summary, true);
  const fields = await assertShownEqual(page, expected);
  expected.metrics.forEach((metric, mi) => metric.comparisons.forEach((_, ci) => {
    for (const k of ['difference', 'ci_low', 'ci_high', 'p_value', 'p_adjusted']) {
      assert.ok(fields.has(`/metrics/${mi}/comparisons/${ci}/${k}`), `/metrics/${mi}/comparisons/${ci}/${k} is shown`);
    }
  }));
  assert.deepEqual(expected.metrics.map((m) => m.kind), ['continuous', 'binary']);
  // The summary's differences are the raw rows' (the core merges sums exactly; 1e-12 relative).
  const raw = cli('analyze', 'web/samples/hillstrom.csv', '--variant', 'segment', '--control', 'No E-Mail', '--metric', 'spend,conversion');
  expected.metrics.forEach((m, mi) => m.comparisons.forEach((c) => {
    const r = raw.metrics[mi].comparisons.find((x) => x.arm === c.arm).difference;
    assert.ok(Math.abs(c.difference - r) <= 1e-12 * Math.abs(r), `${m.name} ${c.arm}: ${c.difference} vs ${r}`);
  }));
  const note = await page.innerText('#results .summary-note');
  assert.match(note, /Read as a summary/);
  assert.match(note, /no minimum or maximum/);
  assert.ok(await page.isDisabled('#winsorize-select'), 'winsorizing needs rows');
  assert.ok(await page.isDisabled('#unit-select'), 'unit ids need rows');
  await noNaN(page);
  await closePage(session);
});

// Diagnostic only: the goal is a 1M-row bootstrap under 2 s in the page.
test('timing: 1M rows with a 2,000-replicate bootstrap, in the page', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-e2e-'));
  try {
    const file = join(dir, 'million.csv');
    // mulberry32, seeded: the same file every run.
    let a = 20240601;
    const rnd = () => {
      a = (a + 0x6D2B79F5) | 0;
      let x = Math.imul(a ^ (a >>> 15), 1 | a);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const parts = ['variant,converted,revenue\n'];
    for (let i = 0; i < 1_000_000; i++) {
      const treated = rnd() < 0.5;
      const converted = rnd() < (treated ? 0.105 : 0.1) ? 1 : 0;
      const revenue = converted ? (-Math.log(1 - rnd()) * 40).toFixed(2) : '0';
      parts.push(`${treated ? 'treatment' : 'control'},${converted},${revenue}\n`);
    }
    const text = parts.join('');
    writeFileSync(file, text);

    const session = await openPage();
    const { page } = session;
    await settled(page, 'hillstrom.csv');
    await openAdvanced(page);
    await page.check('#bootstrap-check'); // 2,000 replicates, seed 1: the sample runs again with them
    await resultWith(page, { '/options/bootstrap': '2000' });

    const started = Date.now();
    await page.setInputFiles('#file-input', file);
    assert.equal(await settled(page, 'million.csv', 60_000), 'done');
    const wall = (Date.now() - started) / 1000;
    const seconds = Number(await page.getAttribute('#results', 'data-seconds'));
    t.diagnostic(`1,000,000 rows (${(text.length / 1e6).toFixed(1)} MB), bootstrap 2,000: analysis ${seconds.toFixed(2)} s in the page `
      + `(goal < 2 s); ${wall.toFixed(2)} s from choosing the file (preview included)`);

    const expected = cli('analyze', file, '--variant', 'variant', '--control', 'control', '--metric', 'converted,revenue',
      '--bootstrap', '2000');
    expected.input.file = 'million.csv'; // the CLI names the path it was given; the page the file's name
    const fields = await assertShownEqual(page, expected);
    assert.ok(fields.has('/metrics/1/comparisons/0/bootstrap/ci_low'));
    await closePage(session);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
