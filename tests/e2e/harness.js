// harness.js — what every end-to-end file shares: the page served by web/serve.js on a free port,
// Debian's headless Chromium through playwright-core (never a downloaded browser, background
// networking off), and pages that record console errors, page errors and every request, so that
// each test can end by asserting none happened and nothing left the page's origin.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/serve.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const at = (path) => join(ROOT, path);
export const WAIT = 20_000; // ms for one preview + analysis of a small file
export const FINAL_STATES = ['done', 'confirm', 'error', 'idle', 'cancelled'];
export const HILLSTROM_ARGS = ['--variant', 'segment', '--control', 'No E-Mail', '--metric', 'visit,conversion,spend'];

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-default-apps', '--disable-extensions',
];

// Debian's headless Chromium with the flags above; args: more flags.
export function launchChromium(args = []) {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...args], headless: true });
}

// Records a page's console errors, page errors and its workers' console errors (problems), and
// every request its context makes (requests).
export function record(context, page) {
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
  return { problems, requests };
}

// Registers the file's before/after hooks; the returned object fills in as they run. args: more
// Chromium flags for this file's browser.
export function useBrowser({ args = [] } = {}) {
  const env = { browser: null, server: null, baseUrl: null, origin: null };
  before(async () => {
    for (const file of ['web/build/causeway-core.js', 'web/build/causeway-core.wasm',
      'web/vendor/chart.umd.min.js', 'web/samples/hillstrom.csv', 'build/causeway']) {
      assert.ok(existsSync(at(file)), `${file} is missing: run "bash build.sh" first`);
    }
    ({ server: env.server, url: env.baseUrl } = await startServer(0));
    env.origin = new URL(env.baseUrl).origin;
    env.browser = await launchChromium(args);
  });
  after(async () => {
    await env.browser?.close();
    await new Promise((resolve) => (env.server ? env.server.close(resolve) : resolve()));
  });

  // A fresh page that records its problems and its requests.
  env.openPage = async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const { problems, requests } = record(context, page);
    await page.goto(env.baseUrl);
    return { page, context, problems, requests };
  };

  // What every test ends with: no errors, no request beyond the page's own origin.
  env.closePage = async ({ context, problems, requests }) => {
    await context.close();
    assert.deepEqual(problems, [], 'the page logged errors');
    const foreign = requests.filter((u) => !/^(data|blob):/.test(u) && new URL(u).origin !== env.origin);
    assert.deepEqual(foreign, [], 'the page made requests outside its own origin');
  };
  return env;
}

// Waits until the page has settled on `name` (file-status names it and the state is final).
export async function settled(page, name, timeout = WAIT) {
  await page.waitForFunction(([n, finals]) => {
    const state = document.body.dataset.state;
    return finals.includes(state) && document.getElementById('file-status').textContent.includes(n);
  }, [name, FINAL_STATES], { timeout });
  return page.evaluate(() => document.body.dataset.state);
}

export async function noNaN(page) {
  const text = await page.evaluate(() => document.body.innerText);
  assert.ok(!/\bNaN\b|Infinity|undefined|\[object /.test(text), 'the page shows NaN, Infinity, undefined or [object …]');
}

// RFC 6901 JSON Pointer, as view.js writes data-field.
export function resolvePointer(doc, ptr) {
  return ptr.split('/').slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node, key) => (node === undefined || node === null ? undefined : node[key]), doc);
}

// The native CLI's JSON for the same file and flags.
export function cli(...args) {
  return JSON.parse(execFileSync(at('build/causeway'), args, { cwd: ROOT, encoding: 'utf8' }));
}

// Every number under `scope` (data-field, data-value) is the CLI's, exactly: the worker runs the
// same C core (and the native CLI links the same libm), so the doubles must be identical.
// Returns the set of fields shown.
export async function assertShownEqual(page, expected, scope = '#results') {
  const shown = await page.$$eval(`${scope} [data-field]`, (els) => els.map((e) => [e.dataset.field, e.dataset.value]));
  assert.ok(shown.length > 0, `${scope} shows numbers`);
  for (const [field, value] of shown) {
    const want = resolvePointer(expected, field);
    assert.notEqual(want, undefined, `${field} is not in the CLI's JSON`);
    assert.equal(value, String(want), `${field}: page ${value}, CLI ${want}`);
  }
  return new Set(shown.map(([f]) => f));
}

// Waits until the finished analysis on the page carries these data-field values (the options
// echoed by the core): later changes cancel earlier runs, so only the last one can match.
export async function resultWith(page, fields, timeout = WAIT) {
  await page.waitForFunction((want) => document.body.dataset.state === 'done'
    && Object.entries(want).every(([f, v]) => document.querySelector(`#results [data-field="${f}"]`)?.dataset.value === v),
  fields, { timeout });
}

// From the sample to LaLonde: file uploaded, arms from treat (control 0), re78 the only metric.
export async function chooseLalonde(page) {
  await settled(page, 'hillstrom.csv');
  await page.setInputFiles('#file-input', at('tests/data/lalonde_nsw_dw.csv'));
  await settled(page, 'lalonde_nsw_dw.csv');
  await page.selectOption('#variant-select', 'treat');
  await page.selectOption('#control-select', '0');
  for (const box of await page.$$('#metric-list input[type=checkbox]')) {
    await box.setChecked((await box.getAttribute('value')) === 're78');
  }
}
