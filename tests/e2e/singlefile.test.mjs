// singlefile.test.mjs — web/build/causeway.html (web/singlefile.js), the page as one file, in
// Debian's headless Chromium (see harness.js): opened from file:// with the network off it asks for
// nothing but itself and its own blob: URLs, shows the native CLI's numbers for the bundled sample
// and for a chosen file, and enforces a CSP with no network and no inline code but its own hashed
// scripts; embedded in a sandboxed iframe, as a wiki would (iframe src or srcdoc), it works with
// the tokens docs/single-file.md names, each token is shown to be needed for what it is for, and
// as srcdoc the embedding page's own CSP binds it too.
// Needs `bash build.sh` first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import {
  at, WAIT, HILLSTROM_ARGS, launchChromium, record, settled, noNaN, cli, assertShownEqual,
} from './harness.js';

const FILE = at('web/build/causeway.html');
const FILE_URL = pathToFileURL(FILE).href;
const LOCAL = /^(blob|data):/;

let browser;
let html;
before(async () => {
  assert.ok(existsSync(FILE), 'web/build/causeway.html is missing: run "bash build.sh" first');
  html = readFileSync(FILE, 'utf8');
  browser = await launchChromium();
});
after(() => browser?.close());

// A fresh context (downloads on) in which every request Playwright can route (http, https and
// file URLs) is refused and recorded, except those `allowed` (by default the file itself): the
// page or a frame in it has nothing else to load, and any attempt shows in `blocked`.
async function openContext({ allowed = (url) => url === FILE_URL } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const blocked = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed(url)) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  return { context, page, blocked, ...record(context, page) };
}

const hillstrom = () => cli('analyze', 'web/samples/hillstrom.csv', ...HILLSTROM_ARGS);

// Sum of alpha over each canvas's pixels: 0 means nothing was drawn.
const inkOf = (where, selector) => where.$$eval(selector, (canvases) => canvases.map((c) => {
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let sum = 0;
  for (let i = 3; i < data.length; i += 4) sum += data[i];
  return sum;
}));

// The Analyze button's form submission, and whether it ran the analysis again within `ms`.
async function analyzeAgain(frame, ms = WAIT) {
  const run = await frame.evaluate(() => document.getElementById('results').dataset.run);
  await frame.click('#analyze-button');
  return frame.waitForFunction((r) => document.body.dataset.state === 'done'
    && document.getElementById('results').dataset.run !== r, run, { timeout: ms }).then(() => true, () => false);
}

// A private release of the sample (visit, ε = 1) made in the frame: the Release button.
async function release(frame) {
  await frame.check('#private-toggle');
  await frame.selectOption('#private-variant', 'segment');
  await frame.fill('#private-arms', 'No E-Mail,Mens E-Mail,Womens E-Mail');
  await frame.selectOption('#private-control', 'No E-Mail');
  await frame.selectOption('#private-metrics [data-column="visit"] select', 'binary');
  await frame.fill('#private-epsilon', '1');
  await frame.click('#private-release');
  await frame.waitForFunction(() => document.body.dataset.state === 'released', null, { timeout: WAIT });
}

// Clicks the release's "Download .md" and returns the download's name, or null if none started
// within `ms` (a download that is allowed starts at once).
async function downloadMarkdown(page, frame, ms) {
  const download = page.waitForEvent('download', { timeout: ms }).catch(() => null);
  await frame.click('#private-output button[data-export="markdown-download"]');
  return (await download)?.suggestedFilename() ?? null;
}

// The page as the iframe's srcdoc, in a page of its own (about:blank, no CSP of its own).
const srcdocPage = (sandbox) => `<!doctype html><title>wiki</title><iframe sandbox="${sandbox}" width="1200" height="850" srcdoc="${
  html.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"></iframe>`;

test('opened from file:// with the network off, it analyses the sample and a chosen file as the CLI does, asking for nothing', async () => {
  const { context, page, blocked, problems, requests } = await openContext();
  await context.setOffline(true);
  const workers = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.goto(FILE_URL);
  assert.equal(await settled(page, 'hillstrom.csv'), 'done');
  assert.equal(await page.getAttribute('#results', 'data-file'), 'hillstrom.csv');
  const fields = await assertShownEqual(page, hillstrom());
  assert.ok(fields.has('/metrics/2/comparisons/1/welch/p_value') && fields.has('/srm/p_value'), 'the headline numbers are shown');
  const ink = await inkOf(page, '#results canvas');
  assert.equal(ink.length, 3, 'one chart per metric');
  for (const sum of ink) assert.ok(sum > 0, 'Chart.js, inline, drew every chart');

  // A file the person chooses: read by the worker through the File, never fetched.
  await page.setInputFiles('#file-input', at('tests/data/srm_mismatch.csv'));
  assert.equal(await settled(page, 'srm_mismatch.csv'), 'done');
  await assertShownEqual(page, cli('analyze', 'tests/data/srm_mismatch.csv',
    '--variant', 'variant', '--control', 'control', '--metric', 'converted,purchased'));
  assert.equal(await page.locator('#results .srm-banner').count(), 1);
  await noNaN(page);

  await context.close();
  assert.deepEqual(problems, [], 'the page logged errors');
  assert.deepEqual(blocked, [], 'the page tried the network');
  assert.deepEqual(requests.filter((u) => !LOCAL.test(u)), [FILE_URL], 'nothing but the file itself was loaded');
  assert.ok(workers.length > 0 && workers.every((u) => u.startsWith('blob:')), 'the workers started from blob: URLs');
});

test('its CSP allows no network, and no script or style but its own, by hash', async () => {
  const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  assert.ok(html.indexOf(csp) < html.indexOf('<script'), 'the policy comes before every script');
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('connect-src'), ["'none'"]);
  assert.deepEqual(directives.get('worker-src'), ['blob:']);
  assert.deepEqual(directives.get('img-src'), ['data:', 'blob:']);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'|'self'|\*|https?:/, 'no inline code, eval, origin or host allowed');

  // Every script and style is inline, and the policy lists exactly their hashes.
  assert.doesNotMatch(html, /<script[^>]*\ssrc=|<link[^>]*\srel="stylesheet"/);
  const hash = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  const scripts = [...html.matchAll(/<script(?: type="module")?>([\s\S]*?)<\/script>/g)].map((m) => hash(m[1]));
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => hash(m[1]));
  assert.equal(scripts.length, 2, 'Chart.js and the page');
  assert.deepEqual(directives.get('script-src'), [...scripts, "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives.get('style-src'), styles);

  // Chromium enforces it: an injected inline script and a fetch (even of a data: URL) are refused.
  const { context, page } = await openContext();
  await page.goto(FILE_URL);
  await settled(page, 'hillstrom.csv');
  const outcome = await page.evaluate(async () => {
    const violated = [];
    document.addEventListener('securitypolicyviolation', (e) => violated.push(e.effectiveDirective));
    const script = document.createElement('script');
    script.textContent = 'window.injected = true;';
    document.head.append(script);
    const fetched = await fetch('data:text/plain,x').then(() => 'fetched', () => 'refused');
    await new Promise((resolve) => setTimeout(resolve, 0)); // the violation events are queued
    return { ran: window.injected === true, fetched, violated };
  });
  await context.close();
  assert.deepEqual(outcome, { ran: false, fetched: 'refused', violated: ['script-src-elem', 'connect-src'] });
});

test('in a wiki page\'s iframe with sandbox="allow-scripts allow-forms allow-downloads" it analyses, re-runs, releases and downloads', async () => {
  // The wiki: a page on its own origin that embeds the file as an attachment it serves.
  const server = createServer((req, res) => {
    if (req.url === '/attachments/causeway.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>wiki</title><h1>Our last test</h1><iframe width="1200" height="850" '
      + 'sandbox="allow-scripts allow-forms allow-downloads" src="/attachments/causeway.html"></iframe>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const wiki = `http://127.0.0.1:${server.address().port}`;
  try {
    const { context, page, blocked, problems, requests } = await openContext({ allowed: (url) => url.startsWith(`${wiki}/`) });
    await page.goto(`${wiki}/page`);
    const frame = page.frame({ url: `${wiki}/attachments/causeway.html` });
    assert.equal(await settled(frame, 'hillstrom.csv'), 'done');
    assert.equal(await frame.evaluate(() => origin), 'null', 'sandboxed: an opaque origin');
    await assertShownEqual(frame, hillstrom());
    assert.ok(await analyzeAgain(frame), 'allow-forms: the Analyze button runs the analysis');
    await release(frame);
    assert.equal(await downloadMarkdown(page, frame, WAIT), 'hillstrom-private-eps1.md', 'allow-downloads: the export is saved');
    await context.close();
    assert.deepEqual(problems, [], 'the page logged errors');
    assert.deepEqual(blocked, [], 'the frame tried the network');
    assert.deepEqual(requests.filter((u) => !LOCAL.test(u)), [`${wiki}/page`, `${wiki}/attachments/causeway.html`]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('as srcdoc with sandbox="allow-scripts allow-downloads" it analyses the sample and chosen files, but its buttons need allow-forms', async () => {
  const { context, page, blocked, problems, requests } = await openContext();
  await page.setContent(srcdocPage('allow-scripts allow-downloads'));
  const frame = page.frames()[1];
  assert.equal(await settled(frame, 'hillstrom.csv'), 'done');
  await assertShownEqual(frame, hillstrom());
  // What needs no form: a setting changed runs the analysis again, a chosen file is analysed, and
  // the power panel answers as its fields change.
  const run = await frame.evaluate(() => document.getElementById('results').dataset.run);
  await frame.selectOption('#correction-select', 'bonferroni');
  await frame.waitForFunction((r) => document.body.dataset.state === 'done'
    && document.getElementById('results').dataset.run !== r, run, { timeout: WAIT });
  await assertShownEqual(frame, cli('analyze', 'web/samples/hillstrom.csv', ...HILLSTROM_ARGS, '--correction', 'bonferroni'));
  await frame.setInputFiles('#file-input', at('tests/data/srm_mismatch.csv'));
  assert.equal(await settled(frame, 'srm_mismatch.csv'), 'done');
  await frame.fill('#power-p2', '0.137');
  await frame.waitForFunction(() => document.querySelector('#power-section [data-field="/p2"]')?.dataset.value === '0.137',
    null, { timeout: WAIT });
  // Without allow-forms a submit button's form is never submitted, so no submit event reaches the
  // page: Analyze (like Release and Run) does nothing, and Chromium says why.
  assert.equal(await analyzeAgain(frame, 1000), false, 'the Analyze button did nothing');
  await context.close();
  const formBlocked = (p) => /Blocked form submission .*'allow-forms' permission is not set/.test(p);
  assert.ok(problems.some(formBlocked), 'Chromium blamed the missing allow-forms');
  assert.deepEqual(problems.filter((p) => !formBlocked(p)), [], 'no other errors');
  assert.deepEqual(blocked, []);
  assert.deepEqual(requests.filter((u) => !LOCAL.test(u)), []);
});

test('as srcdoc with sandbox="allow-scripts allow-forms", a release is made but its download needs allow-downloads', async () => {
  const { context, page, blocked, problems } = await openContext();
  await page.setContent(srcdocPage('allow-scripts allow-forms'));
  const frame = page.frames()[1];
  await settled(frame, 'hillstrom.csv');
  await release(frame);
  assert.equal(await downloadMarkdown(page, frame, 1000), null, 'no download started');
  await context.close();
  assert.deepEqual(problems, []);
  assert.deepEqual(blocked, []);
});

test('as srcdoc in a page whose own CSP allows no inline script, it cannot run (the wiki\'s policy applies too)', async () => {
  const { context, page, problems } = await openContext();
  const refused = page.waitForEvent('console', (msg) => msg.type() === 'error' && /script-src 'self'/.test(msg.text()));
  await page.setContent(srcdocPage('allow-scripts allow-forms allow-downloads')
    .replace('<title>', '<meta http-equiv="Content-Security-Policy" content="script-src \'self\'"><title>'));
  await refused;
  assert.equal(await page.frames()[1].evaluate(() => document.body.dataset.state), 'loading', 'the page never started');
  await context.close();
  assert.ok(problems.every((p) => /Content Security Policy/.test(p)), 'only the policy\'s refusals');
});
