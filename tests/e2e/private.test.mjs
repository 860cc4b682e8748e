// private.test.mjs — the "Share privately" panel end to end, in Debian's headless Chromium (see
// harness.js): the declarations are asked for and never filled in from the data, only the
// release's noisy numbers reach the page (each one the worker's JSON, exactly), every table, chart
// and export says "ε = 1", the same data and declarations give back the same release within the
// session, and the ledger adds up what each new release spends. A release is random, so the
// reference is the release's own JSON (the page's JSON export, the text the core wrote), not the
// CLI's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  at, WAIT, HILLSTROM_ARGS, useBrowser, settled, noNaN, cli, assertShownEqual,
} from './harness.js';

const env = useBrowser();
const { openPage, closePage } = env;

const ARMS = ['No E-Mail', 'Mens E-Mail', 'Womens E-Mail'];
const OUT = '#private-output';

// Fill in the declarations of the brief's release of the Hillstrom sample.
async function declare(page) {
  await page.selectOption('#private-variant', 'segment');
  await page.fill('#private-arms', ARMS.join(','));
  await page.selectOption('#private-control', 'No E-Mail');
  await page.selectOption('#private-metrics [data-column="visit"] select', 'binary');
  await page.selectOption('#private-metrics [data-column="spend"] select', 'number');
  await page.fill('#private-metrics [data-column="spend"] [data-bound="low"]', '0');
  await page.fill('#private-metrics [data-column="spend"] [data-bound="high"]', '500');
  await page.fill('#private-epsilon', '1');
}

const runOf = (page) => page.evaluate((out) => document.querySelector(out).dataset.run ?? '0', OUT);

// Press Release and wait for the release after `previous` to be on the page.
async function releaseAfter(page, previous) {
  await page.click('#private-release');
  await page.waitForFunction(([out, prev]) => document.body.dataset.state === 'released'
    && (document.querySelector(out).dataset.run ?? '0') !== prev, [OUT, previous], { timeout: WAIT });
  return page.inputValue(`${OUT} textarea[data-export-text="json"]`);
}

async function ledger(page) {
  return page.$$eval('#private-ledger tr[data-dataset]', (rows) => rows.map((r) => ({
    name: r.dataset.dataset, releases: r.dataset.releases, epsilon: r.dataset.epsilon,
  })));
}

// The bytes of the download a click on `selector` starts.
async function downloadOf(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT }), page.click(selector)]);
  return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
}

test('share privately: only the noisy release is shown, labelled with ε, cached per session, and charged to the ledger', async () => {
  const session = await openPage();
  const { page } = session;
  assert.equal(await settled(page, 'hillstrom.csv'), 'done');

  // What the ordinary analysis showed: its full-precision numbers must all leave the page.
  const ordinary = await page.$$eval('#results [data-field]', (els) => els.map((e) => e.dataset.value)
    .filter((v) => /\d\.\d{7,}/.test(v)));
  assert.ok(ordinary.length > 50, 'the ordinary analysis was on the page');

  await page.check('#private-toggle');
  await page.waitForFunction(() => document.body.dataset.mode === 'private' && document.body.dataset.state === 'confirm',
    null, { timeout: WAIT });
  assert.ok(await page.isHidden('#results'), 'the ordinary results are hidden');
  assert.equal(await page.$eval('#results', (r) => r.childElementCount), 0, 'and emptied');
  assert.ok(await page.isHidden('#setup-section'), 'no preview rows');
  assert.ok(await page.isHidden('#did-section'));
  assert.ok(await page.isVisible('.threat-model'), 'the threat model is stated');

  // Nothing is filled in from the data: the arms are typed, the bounds too; only column names are listed.
  assert.equal(await page.inputValue('#private-arms'), '');
  assert.equal(await page.inputValue('#private-variant'), '');
  assert.equal(await page.inputValue('#private-epsilon'), '1');
  assert.equal(await page.inputValue('#private-resolution'), '0.01');
  assert.equal(await page.inputValue('#private-delta'), '');
  const variants = await page.$$eval('#private-variant option', (o) => o.map((x) => x.textContent));
  assert.ok(variants.includes('segment') && !variants.some((v) => /values?\)/.test(v)), 'column names only');
  const kinds = await page.$$eval('#private-metrics select', (s) => s.map((x) => x.value));
  assert.ok(kinds.length >= 10 && kinds.every((k) => k === ''), 'no metric kind is guessed');

  // A missing bound is explained in the one alert region, and nothing is released.
  await declare(page);
  await page.fill('#private-metrics [data-column="spend"] [data-bound="high"]', '');
  await page.click('#private-release');
  assert.match(await page.innerText('#alert'), /both bounds of “spend”/);
  assert.equal(await runOf(page), '0');
  await page.fill('#private-metrics [data-column="spend"] [data-bound="high"]', '500');

  // ---- the release -------------------------------------------------------------------------
  const text = await releaseAfter(page, '0');
  const release = JSON.parse(text);
  assert.equal(release.schema, 'causeway.private/1');
  assert.equal(release.privacy.epsilon_requested, 1);
  assert.deepEqual(release.privacy.arms, ARMS);
  assert.ok(!/fingerprint/i.test(text), 'no fingerprint in the release');
  assert.equal((await page.textContent('#alert')).trim(), '');

  // Every number shown is the release's, exactly; the headline ones are all there.
  const fields = await assertShownEqual(page, release, OUT);
  release.metrics.forEach((metric, mi) => {
    const estimate = metric.kind === 'binary' ? 'rate' : 'mean';
    metric.arms.forEach((_, ai) => {
      for (const k of ['n', estimate, 'ci/0', 'ci/1']) assert.ok(fields.has(`/metrics/${mi}/arms/${ai}/${k}`), `${metric.name} arm ${ai}: ${k}`);
    });
    metric.comparisons.forEach((_, ci) => {
      for (const k of ['difference', 'ci/0', 'ci/1', 'p_value', 'p_adjusted', 'relative_lift', 'relative_ci/0', 'relative_ci/1']) {
        assert.ok(fields.has(`/metrics/${mi}/comparisons/${ci}/${k}`), `${metric.name} comparison ${ci}: ${k}`);
      }
    });
  });
  assert.ok(fields.has('/privacy/spent/epsilon'));
  release.privacy.statistics.forEach((_, i) => assert.ok(fields.has(`/privacy/statistics/${i}/noise_sd`)));

  // No non-private number: none of the ordinary analysis's numbers, nor its row count, nor (when
  // the noise moved it, which at ε = 1 happens three times in four) an arm's true visit count.
  // A value the release itself shows is the release's: when the noise on both of an arm's cells
  // is 0 (about one release in five here), its noisy rate is the true rate, digit for digit.
  const html = await page.content();
  const releasedValues = new Set(await page.$$eval(`${OUT} [data-field]`, (els) => els.map((e) => e.dataset.value)));
  for (const v of ordinary) {
    if (releasedValues.has(v)) continue;
    assert.ok(!html.includes(v), `the ordinary analysis's ${v} is still on the page`);
  }
  const shownText = await page.evaluate(() => document.body.innerText);
  assert.ok(!shownText.includes('64,000'), 'the true number of rows is not shown');
  const truth = cli('analyze', 'web/samples/hillstrom.csv', ...HILLSTROM_ARGS);
  const visit = release.metrics.find((m) => m.name === 'visit');
  for (const arm of truth.arms) {
    const ones = arm.metrics.visit.successes;
    const noisy = visit.arms.find((a) => a.name === arm.name).released.ones;
    if (noisy === String(ones)) continue; // the noise was 0 here: the number is the release's
    assert.ok(!shownText.includes(ones.toLocaleString('en-US')), `${arm.name}: the true visit count ${ones} is shown`);
  }
  assert.equal(await page.inputValue('#power-p1'), '0.1', 'the power panel no longer holds the true control rate');

  // Labelled with ε: every table, chart title, the Markdown and the PNG.
  const label = 'Differentially private (ε = 1)';
  assert.equal(await page.textContent(`${OUT} .dp-label`), label);
  for (const caption of await page.$$eval(`${OUT} table caption`, (c) => c.map((x) => x.textContent))) {
    assert.ok(caption.includes(label), `table "${caption}" is labelled`);
  }
  const titles = await page.$$eval(`${OUT} canvas`, (canvases) => canvases.map((c) => globalThis.Chart.getChart(c)?.options.plugins.title.text));
  assert.equal(titles.length, 2, 'a chart per metric');
  for (const t of titles) assert.ok(t.includes(label), `chart title ${t}`);
  const ink = await page.$$eval(`${OUT} canvas`, (canvases) => canvases.map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 3; i < data.length; i += 4) sum += data[i];
    return sum;
  }));
  for (const sum of ink) assert.ok(sum > 0, 'the chart is drawn');

  const markdown = await page.inputValue(`${OUT} textarea[data-export-text="markdown"]`);
  assert.ok(markdown.includes(label));
  for (const heading of markdown.split('\n').filter((l) => l.startsWith('#'))) assert.ok(heading.includes('ε = 1'), heading);
  assert.ok(markdown.includes(visit.arms[0].rate !== null ? '%' : 'insufficient data'));
  const md = await downloadOf(page, `${OUT} button[data-export="markdown-download"]`);
  assert.equal(md.name, 'hillstrom-private-eps1.md');
  assert.equal(md.bytes.toString('utf8'), markdown);
  const json = await downloadOf(page, `${OUT} button[data-export="json-download"]`);
  assert.equal(json.bytes.toString('utf8'), text, 'the JSON export is the release as the core wrote it');
  const png = await downloadOf(page, `${OUT} button[data-export="png"][data-index="0"]`);
  assert.equal(png.name, 'hillstrom-private-eps1-visit.png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  assert.ok(png.bytes.length > 5000, 'with a picture in it');
  assert.ok(png.bytes.includes(Buffer.from('iTXtDescription', 'latin1')) && png.bytes.includes(Buffer.from(label, 'utf8')),
    'the PNG carries the label in its text chunk');

  assert.deepEqual(await ledger(page), [{ name: 'hillstrom.csv', releases: '1', epsilon: '1' }]);

  // The session key and the fingerprint stay in the session's storage: in no export, not on the page.
  const secrets = await page.evaluate(() => [JSON.parse(sessionStorage.getItem('causeway.dp.session-key')),
    ...Object.keys(JSON.parse(sessionStorage.getItem('causeway.dp.releases'))).map((k) => k.split('|')[0])]);
  assert.equal(secrets.length, 2);
  const everything = [await page.content(), markdown, text].join('\n');
  for (const secret of secrets) {
    assert.match(secret, /^[0-9a-f]{64}$/);
    assert.ok(!everything.includes(secret), 'a secret of the session reached the page or an export');
  }

  // ---- the same data and declarations: the same release, nothing more spent ----------------
  const again = await releaseAfter(page, await runOf(page));
  assert.equal(again, text, 'byte-identical');
  assert.equal(await page.getAttribute(OUT, 'data-cached'), 'true');
  assert.match(await page.innerText(OUT), /this is the release made earlier in this session/i);
  await assertShownEqual(page, release, OUT);
  assert.deepEqual(await ledger(page), [{ name: 'hillstrom.csv', releases: '1', epsilon: '1' }]);

  // ---- ε = 0.5: a new release, and the ledger adds it up -----------------------------------
  await page.fill('#private-epsilon', '0.5');
  const half = await releaseAfter(page, await runOf(page));
  assert.notEqual(half, text);
  const halfRelease = JSON.parse(half);
  assert.equal(halfRelease.privacy.epsilon_requested, 0.5);
  assert.equal(await page.getAttribute(OUT, 'data-cached'), 'false');
  await assertShownEqual(page, halfRelease, OUT);
  assert.equal(await page.textContent(`${OUT} .dp-label`), 'Differentially private (ε = 0.5)');
  assert.ok((await page.inputValue(`${OUT} textarea[data-export-text="markdown"]`)).includes('ε = 0.5'));
  assert.deepEqual(await ledger(page), [{ name: 'hillstrom.csv', releases: '2', epsilon: '1.5' }]);
  assert.match(await page.innerText('#private-section .ledger'), /add up/);

  await noNaN(page);
  await closePage(session);
});

test('share privately: a file chosen in the mode is not analyzed, δ is labelled, and the core\'s errors say where', async () => {
  const session = await openPage();
  const { page } = session;
  await settled(page, 'hillstrom.csv');
  await page.check('#private-toggle');
  await page.setInputFiles('#file-input', at('tests/data/lalonde_nsw_dw.csv'));
  assert.equal(await settled(page, 'lalonde_nsw_dw.csv'), 'confirm', 'only the column names were read');
  assert.equal(await page.$eval('#results', (r) => r.childElementCount), 0);
  assert.ok(await page.isHidden('#setup-section'));

  // Without a secure random source (here: none for the session key) nothing is released.
  await page.evaluate(() => Object.defineProperty(crypto, 'getRandomValues', { value: undefined, configurable: true }));
  await page.selectOption('#private-variant', 'treat');
  await page.fill('#private-arms', '0, 1');
  assert.deepEqual(await page.$$eval('#private-control option', (o) => o.map((x) => x.value)), ['0', '1']);
  await page.selectOption('#private-metrics [data-column="re78"] select', 'number');
  await page.fill('#private-metrics [data-column="re78"] [data-bound="low"]', '0');
  await page.fill('#private-metrics [data-column="re78"] [data-bound="high"]', '60000');

  await page.click('#private-release');
  await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: WAIT });
  assert.match(await page.innerText('#alert'), /no secure random source.*nothing was released/s);
  assert.equal(await page.$eval(OUT, (o) => o.childElementCount), 0);
  await page.evaluate(() => delete crypto.getRandomValues);

  // The core checks the declarations; its message names the field, not the CLI flag.
  await page.fill('#private-resolution', '0.03');
  await page.click('#private-release');
  await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: WAIT });
  const alert = await page.innerText('#alert');
  assert.match(alert, /Nothing was released/);
  assert.match(alert, /resolution must be a power of ten/);
  assert.doesNotMatch(alert, /--/);

  await page.fill('#private-resolution', '1');
  await page.fill('#private-delta', '1e-6');
  await page.fill('#private-epsilon', '2');
  const text = await releaseAfter(page, '0');
  const release = JSON.parse(text);
  assert.equal(release.privacy.accounting, 'zCDP');
  await assertShownEqual(page, release, OUT);
  const label = 'Differentially private (ε = 2, δ = 1e-6)';
  assert.equal(await page.textContent(`${OUT} .dp-label`), label);
  assert.ok((await page.inputValue(`${OUT} textarea[data-export-text="markdown"]`)).includes(label));
  assert.equal((await page.textContent('#alert')).trim(), '');
  const rows = await page.$$eval('#private-ledger tr[data-dataset]', (r) => r.map((x) => [x.dataset.dataset, x.dataset.releases, x.dataset.epsilon, x.dataset.delta]));
  assert.deepEqual(rows, [['lalonde_nsw_dw.csv', '1', '2', '1e-6']]);

  // A malformed row: nothing released, the line and column are given.
  await page.setInputFiles('#file-input', at('tests/data/bad/malformed_row.csv'));
  assert.equal(await settled(page, 'malformed_row.csv'), 'confirm');
  const columns = await page.$$eval('#private-variant option', (o) => o.map((x) => x.value).filter(Boolean));
  await page.selectOption('#private-variant', columns[0]);
  await page.fill('#private-arms', 'a,b');
  await page.selectOption(`#private-metrics [data-column="${columns[1]}"] select`, 'binary');
  await page.click('#private-release');
  await page.waitForFunction(() => document.body.dataset.state === 'error', null, { timeout: WAIT });
  assert.match(await page.innerText('#alert'), /Nothing was released.*line 4/is);
  assert.equal(await page.$eval(OUT, (o) => o.childElementCount), 0);
  await noNaN(page);
  await closePage(session);
});
