// page.test.mjs — the page end to end, in Debian's headless Chromium driven by playwright-core
// (never a downloaded browser). The page is served by web/serve.js on a free port; every test
// fails on any console error or page error, and on any request that leaves the page's origin.
// Needs `bash build.sh` first (web/build/, web/vendor/, build/causeway).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, CSP } from '../../web/serve.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const at = (path) => join(ROOT, path);

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-extensions',
];
const WAIT = 20_000; // ms for one preview + analysis; the sample takes well under a second
const FINAL_STATES = ['done', 'confirm', 'error', 'idle', 'cancelled'];

let browser;
let server;
let baseUrl;
let origin;

before(async () => {
  for (const file of ['web/build/causeway-core.js', 'web/build/causeway-core.wasm',
    'web/vendor/chart.umd.min.js', 'web/samples/hillstrom.csv', 'build/causeway']) {
    assert.ok(existsSync(at(file)), `${file} is missing: run "bash build.sh" first`);
  }
  ({ server, url: baseUrl } = await startServer(0));
  origin = new URL(baseUrl).origin;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

// A fresh page that records its problems and its requests.
async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('worker', (worker) => worker.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`worker console error: ${msg.text()}`);
  }));
  context.on('request', (req) => requests.push(req.url()));
  context.on('weberror', (err) => problems.push(`web error: ${err.error().message}`));
  await page.goto(baseUrl);
  return { page, context, problems, requests };
}

// What every test ends with: no errors, no request beyond the page's own origin.
async function closePage({ context, problems, requests }) {
  await context.close();
  assert.deepEqual(problems, [], 'the page logged errors');
  const foreign = requests.filter((u) => !/^(data|blob):/.test(u) && new URL(u).origin !== origin);
  assert.deepEqual(foreign, [], 'the page made requests outside its own origin');
}

// Waits until the page has settled on `name` (file-status names it and the state is final).
async function settled(page, name) {
  await page.waitForFunction(([n, finals]) => {
    const state = document.body.dataset.state;
    return finals.includes(state) && document.getElementById('file-status').textContent.includes(n);
  }, [name, FINAL_STATES], { timeout: WAIT });
  return page.evaluate(() => document.body.dataset.state);
}

async function noNaN(page) {
  const text = await page.evaluate(() => document.body.innerText);
  assert.ok(!/\bNaN\b|Infinity|undefined/.test(text), 'the page shows NaN, Infinity or undefined');
}

// Sum of alpha over a canvas's pixels: 0 means nothing was drawn.
function inkOf(page, selector) {
  return page.$$eval(selector, (canvases) => canvases.map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 3; i < data.length; i += 4) sum += data[i];
    return sum;
  }));
}

// RFC 6901 JSON Pointer, as view.js writes data-field.
function resolvePointer(doc, ptr) {
  return ptr.split('/').slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node, key) => (node === undefined || node === null ? undefined : node[key]), doc);
}

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

  assert.equal(await page.locator('[role=alert]').count(), 1, 'one alert region');
  assert.equal((await page.textContent('#alert')).trim(), '', 'no alert for the sample');
  await noNaN(page);
  await closePage(session);
});

test('an uploaded CSV (LaLonde) shows exactly the numbers the native CLI prints', async () => {
  const session = await openPage();
  const { page } = session;
  await settled(page, 'hillstrom.csv');

  await page.setInputFiles('#file-input', at('tests/data/lalonde_nsw_dw.csv'));
  await settled(page, 'lalonde_nsw_dw.csv');

  // Confirm (or make) the choices through the selectors, then run once more.
  await page.selectOption('#variant-select', 'treat');
  await page.selectOption('#control-select', '0');
  for (const box of await page.$$('#metric-list input[type=checkbox]')) {
    await box.setChecked((await box.getAttribute('value')) === 're78');
  }
  const before = await page.evaluate(() => document.getElementById('results').dataset.run ?? '0');
  await page.click('#analyze-button');
  await page.waitForFunction((prev) => document.body.dataset.state === 'done'
    && document.getElementById('results').dataset.run !== prev, before, { timeout: WAIT });
  assert.equal(await page.getAttribute('#results', 'data-file'), 'lalonde_nsw_dw.csv');

  const cli = JSON.parse(execFileSync(at('build/causeway'), ['analyze', 'tests/data/lalonde_nsw_dw.csv',
    '--variant', 'treat', '--control', '0', '--metric', 're78:continuous'], { cwd: ROOT, encoding: 'utf8' }));

  const shown = await page.$$eval('#results [data-field]', (els) => els.map((e) => [e.dataset.field, e.dataset.value]));
  assert.ok(shown.length > 0);
  for (const [field, value] of shown) {
    const expected = resolvePointer(cli, field);
    assert.notEqual(expected, undefined, `${field} is not in the CLI's JSON`);
    // Exact: the worker runs the same C core, so the doubles must be identical.
    assert.equal(value, String(expected), `${field}: page ${value}, CLI ${expected}`);
  }

  // Every headline number is on the page.
  const fields = new Set(shown.map(([f]) => f));
  const want = ['/input/rows_read', '/input/rows_used', '/input/rows_skipped'];
  cli.arms.forEach((_, i) => {
    for (const k of ['n', 'mean', 'sd', 'ci_low', 'ci_high']) want.push(`/arms/${i}/metrics/re78/${k}`);
  });
  cli.metrics[0].comparisons.forEach((_, i) => {
    for (const k of ['difference', 'ci_low', 'ci_high', 'p_value']) want.push(`/metrics/0/comparisons/${i}/welch/${k}`);
  });
  for (const f of want) assert.ok(fields.has(f), `${f} is shown`);
  assert.equal(cli.arms.length, 2);

  const roles = await page.$$eval('#results table.arms tbody tr', (rows) => rows.map((r) => [r.dataset.arm, r.querySelector('.role').textContent]));
  assert.deepEqual(roles.sort(), [['0', 'control'], ['1', 'treatment']]);
  assert.equal(await page.$$eval('#results canvas', (c) => c.length), 1);
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
    const req = httpRequest(new URL(baseUrl), { path, method: 'GET' }, (res) => {
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
