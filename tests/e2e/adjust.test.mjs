// adjust.test.mjs — the page's covariate adjustment (Lin, additive) and CUPED, end to end in
// Debian's headless Chromium (harness.js). The oracle is the native CLI with the same flags: every
// number shown (data-field/data-value) must equal the CLI's exactly.
// Needs `bash build.sh` first (web/build/, web/vendor/, build/causeway).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  at, WAIT, HILLSTROM_ARGS, useBrowser, settled, noNaN, cli, assertShownEqual, resultWith, chooseLalonde,
} from './harness.js';

const { openPage, closePage } = useBrowser();

const LALONDE = 'tests/data/lalonde_nsw_dw.csv';
const LALONDE_ARGS = ['--variant', 'treat', '--control', '0', '--metric', 're78'];
const COVARIATES = ['age', 'educ', 'black', 'hisp', 'married', 'nodegree', 're74', 're75'];
const SECTION = '#results section.metric[data-metric="re78"]';

// LaLonde open, arms treat (control 0), re78 the only metric, the advanced options open.
async function openLalonde(page) {
  await chooseLalonde(page);
  await page.evaluate(() => { document.getElementById('advanced').open = true; });
}

async function offered(page) {
  return {
    covariates: await page.$$eval('#covariate-list input[type=checkbox]', (boxes) => boxes.map((b) => b.value)),
    pre: await page.$$eval('#pre-metric-select option', (opts) => opts.map((o) => o.value)),
  };
}

test('Lin adjustment for 8 covariates on LaLonde re78: every number is the CLI\'s, CUPED is switched off meanwhile', async () => {
  const session = await openPage();
  const { page } = session;
  await openLalonde(page);
  // Numeric columns other than the arm column and the metric.
  assert.deepEqual(await offered(page), { covariates: COVARIATES, pre: ['', ...COVARIATES] });
  assert.ok(await page.isDisabled('#adjust-select'), 'no method to choose without covariates');
  for (const name of COVARIATES) await page.check(`#covariate-list input[value="${name}"]`);
  assert.equal(await page.inputValue('#adjust-select'), 'lin', 'Lin by default');
  assert.ok(await page.isDisabled('#pre-metric-select'), 'CUPED is off while covariates are checked');
  assert.match(await page.innerText('#pre-metric-help'), /cannot be combined/);
  await page.click('#analyze-button');

  const expected = cli('analyze', LALONDE, ...LALONDE_ARGS, '--covariates', COVARIATES.join(','), '--adjust', 'lin');
  const adj = expected.metrics[0].comparisons[0].adjusted;
  assert.equal(adj.method, 'lin');
  assert.equal(adj.se_type, 'HC2');
  await resultWith(page, { '/metrics/0/comparisons/0/adjusted/difference': String(adj.difference) });
  const fields = await assertShownEqual(page, expected);
  const c = '/metrics/0/comparisons/0';
  for (const f of [`${c}/difference`, `${c}/ci_low`, `${c}/p_value`,
    `${c}/adjusted/difference`, `${c}/adjusted/ci_low`, `${c}/adjusted/ci_high`, `${c}/adjusted/p_value`,
    `${c}/adjusted/estimates/0/se`, `${c}/adjusted/estimates/0/df`, `${c}/adjusted/estimates/0/t`,
    `${c}/adjusted/estimates/1/se`, `${c}/adjusted/estimates/1/se_type`, `${c}/adjusted/estimates/1/p_value`,
    '/metrics/0/adjustment/rows_used', '/metrics/0/adjustment/rows_left_out']) {
    assert.ok(fields.has(f), `${f} is shown`);
  }
  // The adjusted column sits beside the unadjusted difference.
  const head = await page.innerText(`${SECTION} table.comparisons thead`);
  assert.match(head, /Difference[\s\S]*Adjusted \(Lin, HC2\)/);
  assert.equal(await page.locator(`${SECTION} table.comparisons [data-field="${c}/adjusted/difference"]`).count(), 1);
  // The summary, in the details.
  await page.click(`${SECTION} details.more-stats summary`);
  const note = await page.innerText(`${SECTION} .adjust-note`);
  assert.match(note, new RegExp(`Covariates: ${COVARIATES.join(', ')}`));
  assert.match(note, /Rows used: 445; left out .*: 0\./);
  assert.match(note, /No collinear column was dropped/);
  assert.match(await page.innerText(`${SECTION} table.details-table`), /Adjusted, Lin regression\s+HC2 robust standard error \(the headline\)/);
  assert.match(await page.innerText('#advanced summary'), /adjusted for age, .*re75 \(Lin\)/);
  await noNaN(page);
  await closePage(session);
});

test('CUPED with pre-period re75 on LaLonde re78: every number is the CLI\'s, θ and the variance reduction are shown', async () => {
  const session = await openPage();
  const { page } = session;
  await openLalonde(page);
  await page.selectOption('#pre-metric-select', 're75');
  assert.ok(await page.isDisabled('#covariate-list input[value="age"]'), 'covariates are off while CUPED is set');
  assert.match(await page.innerText('#covariate-help'), /Off while CUPED uses re75/);
  await page.click('#analyze-button');

  const expected = cli('analyze', LALONDE, ...LALONDE_ARGS, '--pre-metric', 're75');
  const m = expected.metrics[0];
  assert.equal(m.adjustment.method, 'cuped');
  await resultWith(page, { '/metrics/0/adjustment/theta': String(m.adjustment.theta) });
  const fields = await assertShownEqual(page, expected);
  for (const f of ['/metrics/0/adjustment/theta', '/metrics/0/adjustment/variance_reduction',
    '/metrics/0/adjustment/rows_used', '/metrics/0/comparisons/0/adjusted/difference',
    '/metrics/0/comparisons/0/adjusted/ci_low', '/metrics/0/comparisons/0/adjusted/p_value',
    '/metrics/0/comparisons/0/adjusted/estimates/0/df']) {
    assert.ok(fields.has(f), `${f} is shown`);
  }
  assert.match(await page.innerText(`${SECTION} table.comparisons thead`), /CUPED/);
  await page.click(`${SECTION} details.more-stats summary`);
  const note = await page.innerText(`${SECTION} .adjust-note`);
  assert.match(note, /Pre-period metric: re75/);
  assert.match(note, /θ = 0\.1780/);
  assert.match(note, /variance reduction 0\.72%/);

  // Back to None: the covariates come back, and the result loses its adjusted column.
  await page.selectOption('#pre-metric-select', '');
  assert.ok(!(await page.isDisabled('#covariate-list input[value="age"]')));
  await page.waitForFunction(() => document.body.dataset.state === 'done'
    && !document.querySelector('#results [data-field="/metrics/0/adjustment/theta"]'), null, { timeout: WAIT });
  await noNaN(page);
  await closePage(session);
});

test('CUPED on the sample\'s two treatment arms: the adjusted p-values are shown Holm-corrected too', async () => {
  const session = await openPage();
  const { page } = session;
  await settled(page, 'hillstrom.csv');
  await page.evaluate(() => { document.getElementById('advanced').open = true; });
  await page.selectOption('#pre-metric-select', 'history');
  await page.click('#analyze-button');

  const expected = cli('analyze', 'web/samples/hillstrom.csv', ...HILLSTROM_ARGS, '--pre-metric', 'history');
  await resultWith(page, { '/metrics/0/adjustment/theta': String(expected.metrics[0].adjustment.theta) });
  const fields = await assertShownEqual(page, expected);
  expected.metrics.forEach((m, mi) => {
    assert.equal(m.comparisons.length, 2);
    m.comparisons.forEach((c, ci) => {
      const f = `/metrics/${mi}/comparisons/${ci}/adjusted/p_adjusted`;
      assert.equal(typeof c.adjusted.p_adjusted, 'number');
      assert.ok(fields.has(f), `${f} is shown`);
    });
  });
  const cell = await page.innerText('#results section.metric table.comparisons .adjusted-cell');
  assert.match(cell, /p \(Holm\) = /);
  await noNaN(page);
  await closePage(session);
});

test('additive adjustment with a collinear covariate: the dropped columns and the warning are shown', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-e2e-'));
  try {
    const file = join(dir, 'collinear.csv');
    const lines = ['group,y,x1,x2'];
    for (let i = 0; i < 40; i++) lines.push(`${i % 2 ? 'B' : 'A'},${(i * 7) % 11 + (i % 2)},${i % 5},${2 * (i % 5)}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const session = await openPage();
    const { page } = session;
    await settled(page, 'hillstrom.csv');
    await page.setInputFiles('#file-input', file);
    await settled(page, 'collinear.csv');
    await page.selectOption('#variant-select', 'group');
    await page.selectOption('#control-select', 'A');
    for (const box of await page.$$('#metric-list input[type=checkbox]')) {
      await box.setChecked((await box.getAttribute('value')) === 'y');
    }
    await page.evaluate(() => { document.getElementById('advanced').open = true; });
    await page.check('#covariate-list input[value="x1"]');
    await page.check('#covariate-list input[value="x2"]');
    await page.selectOption('#adjust-select', 'additive');
    await page.click('#analyze-button');

    const expected = cli('analyze', file, '--variant', 'group', '--control', 'A', '--metric', 'y',
      '--covariates', 'x1,x2', '--adjust', 'additive');
    expected.input.file = 'collinear.csv';
    const a = expected.metrics[0].adjustment;
    assert.deepEqual(a.dropped_columns, ['x2']);
    await resultWith(page, { '/metrics/0/comparisons/0/adjusted/difference': String(expected.metrics[0].comparisons[0].adjusted.difference) });
    await assertShownEqual(page, expected);
    assert.match(await page.innerText(`#results section.metric[data-metric="y"] table.comparisons thead`), /Adjusted \(additive, HC1\)/);
    const warning = expected.warnings.find((w) => w.code === 'collinear_columns');
    assert.ok(warning);
    const text = warning.message[0].toUpperCase() + warning.message.slice(1);
    assert.ok((await page.innerText('#alert')).includes(text), 'the alert shows the collinear_columns warning');
    assert.ok((await page.innerText('#results .input-info .warnings')).includes(text));
    await page.click('#results section.metric[data-metric="y"] details.more-stats summary');
    assert.match(await page.innerText('#results section.metric[data-metric="y"] .adjust-note'),
      /Collinear columns dropped from the regression: x2/);
    await noNaN(page);
    await closePage(session);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
