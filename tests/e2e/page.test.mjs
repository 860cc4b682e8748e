// page.test.mjs — the page end to end, in Debian's headless Chromium driven by playwright-core
// (never a downloaded browser). The page is served by web/serve.js on a free port; every test
// fails on any console error or page error, and on any request that leaves the page's origin.
// Needs `bash build.sh` first (web/build/, web/vendor/, build/causeway).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { CSP } from '../../web/serve.js';
import {
  at, WAIT, HILLSTROM_ARGS, useBrowser, settled, noNaN, cli, assertShownEqual, chooseLalonde,
} from './harness.js';

const env = useBrowser();
const { openPage, closePage } = env;

// Sum of alpha over a canvas's pixels: 0 means nothing was drawn.
function inkOf(page, selector) {
  return page.$$eval(selector, (canvases) => canvases.map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 3; i < data.length; i += 4) sum += data[i];
    return sum;
  }));
}

// The native CLI's JSON for the same file and options.
const cliJson = (file, ...args) => cli('analyze', file, ...args);

// Waits for the analysis after `previous` (results' data-run) to be on the page.
async function nextRun(page, previous) {
  await page.waitForFunction((prev) => document.body.dataset.state === 'done'
    && document.getElementById('results').dataset.run !== prev, previous, { timeout: WAIT });
}

const runOf = (page) => page.evaluate(() => document.getElementById('results').dataset.run ?? '0');

test('the bundled sample (Hillstrom) is analysed on load, with tables and drawn charts', async () => {
  const session = await openPage();
  const { page } = session;
  assert.equal(await settled(page, 'hillstrom.csv'), 'done');

  assert.equal(await page.inputValue('#variant-select'), 'segment');
  assert.equal(await page.inputValue('#control-select'), 'No E-Mail');
  const chosen = await page.$$eval('#metric-list input:checked', (boxes) => boxes.map((b) => `${b.value}:${b.dataset.kind}`));
  assert.deepEqual(chosen.sort(), ['conversion:binary', 'spend:continuous', 'visit:binary']);

  const metrics = await page.$$eval('#results section.metric', (s) => s.map((x) => x.dataset.metric));
  assert.deepEqual([...metrics].sort(), ['conversion', 'spend', 'visit']);

  for (const metric of metrics) {
    const section = `#results section.metric[data-metric="${metric}"]`;
    const arms = await page.$$eval(`${section} table.arms tbody tr`, (rows) => rows.map((r) => ({
      arm: r.dataset.arm, role: r.querySelector('.role').textContent,
    })));
    assert.deepEqual(arms.map((a) => a.arm).sort(), ['Mens E-Mail', 'No E-Mail', 'Womens E-Mail']);
    assert.deepEqual(arms.filter((a) => a.role === 'control').map((a) => a.arm), ['No E-Mail']);
    const verdicts = await page.$$eval(`${section} table.comparisons .verdict`, (v) => v.map((x) => x.textContent));
    assert.equal(verdicts.length, 2, `${metric}: two treatment arms compared with the control`);
    for (const v of verdicts) assert.match(v, /^(not )?significant at 5%$/);
  }
  // Both e-mails raise visits in this experiment (a strong, well-known effect).
  const visitVerdicts = await page.$$eval('#results section.metric[data-metric="visit"] table.comparisons .verdict',
    (v) => v.map((x) => x.textContent));
  assert.deepEqual(visitVerdicts, ['significant at 5%', 'significant at 5%']);

  const ink = await inkOf(page, '#results canvas');
  assert.equal(ink.length, 3, 'one chart per metric');
  for (const sum of ink) assert.ok(sum > 0, 'every chart canvas has been drawn on');

  // The headline per metric kind, Holm-adjusted p-values, relative lifts and the secondary
  // statistics: every number equals the CLI's; the ones an analyst reads first must be there.
  const cli = cliJson('web/samples/hillstrom.csv', ...HILLSTROM_ARGS);
  const fields = await assertShownEqual(page, cli);
  cli.metrics.forEach((metric, mi) => {
    assert.equal(metric.correction, 'holm');
    metric.comparisons.forEach((c, ci) => {
      const base = `/metrics/${mi}/comparisons/${ci}`;
      for (const k of ['difference', 'ci_low', 'ci_high', 'p_value', 'p_adjusted',
        'relative_lift/lift', 'relative_lift/ci_low', 'relative_lift/ci_high', 'student/p_value']) {
        assert.ok(fields.has(`${base}/${k}`), `${base}/${k} is shown`);
      }
      if (metric.kind === 'binary') {
        for (const k of ['wald/ci_low', 'wald/ci_high', 'chisq/p_value', 'chisq_yates/p_value', 'z_test/z']) {
          assert.ok(fields.has(`${base}/${k}`), `${base}/${k} is shown`);
        }
      }
    });
    if (metric.kind === 'binary') assert.ok(fields.has(`/metrics/${mi}/chisq_arms/p_value`), `${metric.name}: arms × outcome test`);
  });
  const heads = await page.$$eval('#results table.comparisons thead tr', (rows) => rows.map((r) => r.innerText));
  for (const h of heads) assert.match(h, /p \(Holm\)/);
  const captions = await page.$$eval('#results table.comparisons caption', (c) => c.map((x) => x.innerText));
  assert.match(captions[0], /Newcombe.*z-test/s, 'binary: Newcombe interval and z-test named');
  assert.match(captions[2], /Welch/, 'continuous: Welch named');
  // The brief's example: conversion, Womens E-Mail vs No E-Mail.
  const lift = await page.textContent('#results section.metric[data-metric="conversion"] table.comparisons tr[data-arm="Womens E-Mail"] td:nth-child(4)');
  assert.equal(lift.trim(), '+54.3% [+23.0%, +93.6%]');
  // The sample-ratio check: a line for every analysis, no banner when the split fits.
  assert.ok(fields.has('/srm/p_value'));
  assert.match(await page.innerText('#results .srm-line'), /Sample-ratio check:.*p = 0\.90.*no sign of a mismatch/s);
  assert.equal(await page.locator('#results .srm-banner').count(), 0, 'no mismatch banner');
  assert.equal(await page.$$eval('#results details.more-stats', (d) => d.length), 3, 'one details disclosure per metric');

  assert.equal(await page.locator('[role=alert]').count(), 1, 'one alert region');
  assert.equal((await page.textContent('#alert')).trim(), '', 'no alert for the sample');
  await noNaN(page);
  await closePage(session);
});

test('an uploaded CSV (LaLonde) shows exactly the numbers the native CLI prints', async () => {
  const session = await openPage();
  const { page } = session;
  // Upload LaLonde and confirm (or make) the choices through the selectors, then run once more.
  await chooseLalonde(page);
  const before = await runOf(page);
  await page.click('#analyze-button');
  await nextRun(page, before);
  assert.equal(await page.getAttribute('#results', 'data-file'), 'lalonde_nsw_dw.csv');

  const cli = cliJson('tests/data/lalonde_nsw_dw.csv', '--variant', 'treat', '--control', '0', '--metric', 're78:continuous');
  const fields = await assertShownEqual(page, cli);

  // Every headline number is on the page.
  const want = ['/input/rows_read', '/input/rows_used', '/input/rows_skipped'];
  cli.arms.forEach((_, i) => {
    for (const k of ['n', 'mean', 'sd', 'ci_low', 'ci_high']) want.push(`/arms/${i}/metrics/re78/${k}`);
  });
  cli.metrics[0].comparisons.forEach((_, i) => {
    for (const k of ['difference', 'ci_low', 'ci_high', 'p_value']) {
      want.push(`/metrics/0/comparisons/${i}/welch/${k}`, `/metrics/0/comparisons/${i}/${k}`);
    }
  });
  for (const f of want) assert.ok(fields.has(f), `${f} is shown`);
  assert.equal(cli.arms.length, 2);

  // One treatment arm: nothing to adjust, so no adjusted column; the verdict is on p itself.
  assert.doesNotMatch(await page.innerText('#results table.comparisons thead'), /p \(/);

  const roles = await page.$$eval('#results table.arms tbody tr', (rows) => rows.map((r) => [r.dataset.arm, r.querySelector('.role').textContent]));
  assert.deepEqual(roles.sort(), [['0', 'control'], ['1', 'treatment']]);
  assert.equal(await page.$$eval('#results canvas', (c) => c.length), 1);
  await noNaN(page);
  await closePage(session);
});

test('an Excel CSV in Windows-1252 offers its arms by name and shows the CLI\'s numbers', async () => {
  const session = await openPage();
  const { page } = session;
  await settled(page, 'hillstrom.csv');
  await page.setInputFiles('#file-input', at('tests/data/excel_cp1252.csv'));
  await settled(page, 'excel_cp1252.csv');
  await page.selectOption('#variant-select', 'variante');
  const arms = await page.$$eval('#control-select option', (opts) => opts.map((o) => o.value));
  assert.ok(arms.includes('Contrôle') && arms.includes('Traitement à 5 €'), `arms offered: ${arms}`);
  await page.selectOption('#control-select', 'Contrôle');
  for (const box of await page.$$('#metric-list input[type=checkbox]')) {
    await box.setChecked(['converti', "chiffre d'affaires"].includes(await box.getAttribute('value')));
  }
  const before = await runOf(page);
  await page.click('#analyze-button');
  await nextRun(page, before);
  assert.match(await page.innerText('#results .setup-line'), /semicolon-separated, read as Windows-1252 text/);
  const expected = cliJson('tests/data/excel_cp1252.csv', '--variant', 'variante', '--control', 'Contrôle',
    '--metric', "converti,chiffre d'affaires");
  await assertShownEqual(page, expected);
  const shownArms = await page.$$eval('#results table.arms tbody tr', (rows) => rows.map((r) => r.dataset.arm));
  assert.deepEqual([...new Set(shownArms)].sort(), ['Contrôle', 'Traitement à 5 €']);
  await noNaN(page);
  await closePage(session);
});

test('the correction select re-runs the analysis with the CLI\'s --correction', async () => {
  const session = await openPage();
  const { page } = session;
  assert.equal(await settled(page, 'hillstrom.csv'), 'done');

  let before = await runOf(page);
  await page.selectOption('#correction-select', 'bonferroni');
  await nextRun(page, before);
  const cli = cliJson('web/samples/hillstrom.csv', ...HILLSTROM_ARGS, '--correction', 'bonferroni');
  const fields = await assertShownEqual(page, cli);
  cli.metrics.forEach((metric, mi) => {
    assert.equal(metric.correction, 'bonferroni');
    metric.comparisons.forEach((_, ci) => assert.ok(fields.has(`/metrics/${mi}/comparisons/${ci}/p_adjusted`)));
  });
  const adjusted = await page.$$eval('#results table.comparisons td [data-field$="/p_adjusted"]', (els) => els.map((e) => e.dataset.value));
  assert.deepEqual(adjusted, cli.metrics.flatMap((m) => m.comparisons.map((c) => String(c.p_adjusted))));
  for (const h of await page.$$eval('#results table.comparisons thead tr', (rows) => rows.map((r) => r.innerText))) {
    assert.match(h, /p \(Bonferroni\)/);
  }

  // "None": no adjusted column, and the page says the p-values are not adjusted.
  before = await runOf(page);
  await page.selectOption('#correction-select', 'none');
  await nextRun(page, before);
  await assertShownEqual(page, cliJson('web/samples/hillstrom.csv', ...HILLSTROM_ARGS, '--correction', 'none'));
  assert.equal(await page.locator('#results table.comparisons [data-field$="/p_adjusted"]').count(), 0);
  assert.match(await page.innerText('#results .setup-line'), /not adjusted/);
  await noNaN(page);
  await closePage(session);
});

test('a sample-ratio mismatch gets its own warning banner; a planned split clears it', async () => {
  const session = await openPage();
  const { page } = session;
  await settled(page, 'hillstrom.csv');

  // 1,200 control rows and 800 treatment rows where an equal split was meant.
  await page.setInputFiles('#file-input', at('tests/data/srm_mismatch.csv'));
  assert.equal(await settled(page, 'srm_mismatch.csv'), 'done');
  const args = ['--variant', 'variant', '--control', 'control', '--metric', 'converted,purchased'];
  const cli = cliJson('tests/data/srm_mismatch.csv', ...args);
  assert.equal(cli.srm.mismatch, true);
  const fields = await assertShownEqual(page, cli);

  const banner = page.locator('#results .srm-banner');
  assert.equal(await banner.count(), 1);
  assert.ok(await banner.isVisible());
  const text = await banner.innerText();
  assert.match(text, /sample-ratio mismatch/i);
  assert.match(text, /assign/i);
  assert.match(text, /60\.0%/, 'observed share of the control');
  assert.match(text, /50\.0%/, 'planned share');
  for (const k of ['p_value', 'arms/0/share_observed', 'arms/0/share_planned', 'arms/1/observed']) {
    assert.ok(fields.has(`/srm/${k}`), `/srm/${k} is shown`);
  }
  assert.equal(await banner.getAttribute('role'), null, 'the banner is not the error alert');
  assert.equal(await page.locator('[role=alert]').count(), 1);
  assert.equal((await page.textContent('#alert')).trim(), '', 'said once, in the banner');
  assert.match(await page.innerText('#results .srm-line'), /mismatch/);

  // 3 of 1,200 against 1 of 800: an expected count below 5, so Fisher's exact test ran.
  assert.ok(cli.metrics[1].comparisons[0].fisher);
  assert.ok(fields.has('/metrics/1/comparisons/0/fisher/p_value'));
  const details = page.locator('#results section.metric[data-metric="purchased"] details.more-stats');
  await details.locator('summary').click();
  assert.match(await details.innerText(), /Fisher.*expected count is below 5/s);

  // The split was 60/40 after all: the planned split goes to the core and the banner goes away.
  const before = await runOf(page);
  await page.fill('#split-input', '60,40');
  await page.press('#split-input', 'Enter');
  await nextRun(page, before);
  const planned = cliJson('tests/data/srm_mismatch.csv', ...args, '--split', '60,40');
  assert.equal(planned.srm.mismatch, false);
  assert.equal(planned.srm.planned, 'split');
  await assertShownEqual(page, planned);
  assert.equal(await page.locator('#results .srm-banner').count(), 0);
  assert.match(await page.innerText('#results .srm-line'), /planned split.*no sign of a mismatch/s);
  await noNaN(page);
  await closePage(session);
});

test('bad input is explained in the one alert region, with the line where it matters', async () => {
  const session = await openPage();
  const { page } = session;
  await settled(page, 'hillstrom.csv');

  const cases = [
    { file: 'empty.csv', state: 'error', expect: [/empty/i] },
    { file: 'header_only.csv', state: 'error', expect: [/header/i, /no data rows/i] },
    { file: 'single_arm.csv', state: 'error', expect: [/only one arm/i, /control/] },
    { file: 'text_in_metric.csv', state: 'done', expect: [/line 5/i, /revenue/, /abc/, /not (a )?numbers?/i] },
    { file: 'malformed_row.csv', state: 'error', expect: [/line 4/i, /3 fields/, /header has 2/] },
  ];
  for (const c of cases) {
    await page.setInputFiles('#file-input', at(`tests/data/bad/${c.file}`));
    assert.equal(await settled(page, c.file), c.state, `${c.file}: final state`);
    const alert = page.locator('#alert');
    assert.ok(await alert.isVisible(), `${c.file}: the alert is visible`);
    const text = await alert.innerText();
    for (const re of c.expect) assert.match(text, re, `${c.file}: alert says ${re}: "${text}"`);
    assert.equal(await page.locator('[role=alert]').count(), 1);
    await noNaN(page);
  }
  await closePage(session);
});

test('the worker answers an unknown operation with an error, not silence', async () => {
  const session = await openPage();
  const { page } = session;
  await settled(page, 'hillstrom.csv');
  const reply = await page.evaluate(() => new Promise((resolve) => {
    const worker = new Worker('js/worker.js', { type: 'module' });
    worker.onmessage = (event) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.postMessage({ id: 7, op: 'frobnicate' });
  }));
  assert.equal(reply.id, 7);
  assert.equal(reply.ok, false);
  assert.equal(reply.error.code, 'op');
  assert.match(reply.error.message, /unknown operation/);
  await closePage(session);
});

// Raw HTTP: fetch() would normalise the path before it reached the server.
function get(path) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(env.baseUrl), { path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the server sends the CSP and right types, and only serves web/', async () => {
  const page = await get('/');
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['content-security-policy'], CSP);
  const meta = readFileSync(at('web/index.html'), 'utf8')
    .match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/);
  assert.equal(meta?.[1], CSP, 'the meta tag and the header carry the same policy');
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.equal(page.headers['cache-control'], 'no-cache');
  assert.equal((await get('/build/causeway-core.wasm')).headers['content-type'], 'application/wasm');
  assert.match((await get('/js/main.js')).headers['content-type'], /^text\/javascript/);
  assert.match((await get('/samples/hillstrom.csv')).headers['content-type'], /^text\/csv/);
  for (const path of ['/../package.json', '/%2e%2e/package.json', '/js/%2e%2e/%2e%2e/build.sh', '/..%2fbuild.sh']) {
    const res = await get(path);
    assert.ok(res.statusCode === 403 || res.statusCode === 404, `${path} → ${res.statusCode}`);
  }
  assert.equal((await get('/nope.html')).statusCode, 404);
});
