// did.test.mjs — the page's difference-in-differences section end to end, in Debian's headless
// Chromium (harness.js). The oracle is the native CLI's `causeway did` with the same flags: every
// number shown in the section (data-field/data-value) must equal the CLI's JSON exactly.
// Needs `bash build.sh` first (web/build/, web/vendor/, build/causeway).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, WAIT, useBrowser, settled, noNaN, cli, assertShownEqual } from './harness.js';

const { openPage, closePage } = useBrowser();

const CARD = 'tests/data/card_krueger_panel_long.csv';
const EVENT = 'tests/data/event_panel.csv';
const ORDER = '2023-1,2023-2,2023-3,2023-4,2024-1,2024-2';
const SCOPE = '#did-results';

// Sum of alpha over each canvas's pixels: 0 means nothing was drawn.
function inkOf(page, selector) {
  return page.$$eval(selector, (canvases) => canvases.map((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 3; i < data.length; i += 4) sum += data[i];
    return sum;
  }));
}

// Waits for the DiD run after `previous` (#did-results data-run) to be on the page.
async function didRun(page, previous) {
  await page.waitForFunction((prev) => {
    const state = document.getElementById('did-section').dataset.state;
    return state === 'error' || (state === 'done' && document.getElementById('did-results').dataset.run !== prev);
  }, previous, { timeout: WAIT });
  assert.equal(await page.getAttribute('#did-section', 'data-state'), 'done', await page.innerText('#alert'));
}

const runOf = (page) => page.evaluate(() => document.getElementById('did-results').dataset.run ?? '0');

test('difference in differences: Card–Krueger two periods, then an event study, equal the CLI', async () => {
  const session = await openPage();
  const { page } = session;
  await settled(page, 'hillstrom.csv');

  // Two periods: New Jersey vs Pennsylvania, wave 1 vs 2, balanced by store.
  await page.setInputFiles('#file-input', at(CARD));
  await settled(page, 'card_krueger_panel_long.csv');
  await page.waitForSelector('#did-section:not([hidden])');
  await page.selectOption('#did-outcome', 'fte');
  await page.selectOption('#did-group', 'nj');
  await page.selectOption('#did-treated', '1');
  await page.selectOption('#did-period', 'wave');
  await page.selectOption('#did-design', 'post');
  await page.selectOption('#did-when', '2');
  await page.selectOption('#did-unit', 'store_id');
  await page.check('#did-balanced');
  let before = await runOf(page);
  await page.click('#did-run');
  await didRun(page, before);

  const card = cli('did', CARD, '--outcome', 'fte', '--group', 'nj', '--treated', '1', '--period', 'wave',
    '--post', '2', '--unit', 'store_id', '--balanced');
  const fields = await assertShownEqual(page, card, SCOPE);
  const k = card.regression.coefficients.findIndex((c) => c.term === 'treated:post');
  for (const f of ['/difference_in_differences', '/cells/0/mean', '/cells/0/n', '/cells/3/mean', '/cells/3/n',
    ...['classical', 'hc1', 'cr1'].flatMap((se) => ['se', 'ci_low', 'ci_high', 'p_value']
      .map((x) => `/regression/coefficients/${k}/${se}/${x}`)), `/regression/coefficients/${k}/estimate`]) {
    assert.ok(fields.has(f), `${f} is shown`);
  }
  assert.match(await page.innerText(`${SCOPE} .did-headline`), /Difference in differences: 2\.75/);
  let ink = await inkOf(page, `${SCOPE} canvas`);
  assert.equal(ink.length, 1, 'one chart (group means) for two periods');
  for (const sum of ink) assert.ok(sum > 0, 'the chart canvas has been drawn on');

  // The event study: periods first seen out of order, so the order is typed.
  await page.setInputFiles('#file-input', at(EVENT));
  await settled(page, 'event_panel.csv');
  await page.waitForSelector('#did-section:not([hidden])');
  await page.selectOption('#did-outcome', 'y');
  await page.selectOption('#did-group', 'treated');
  await page.selectOption('#did-treated', '1');
  await page.selectOption('#did-period', 'period');
  await page.selectOption('#did-design', 'start');
  await page.selectOption('#did-when', '2023-4');
  await page.fill('#did-order', ORDER);
  await page.selectOption('#did-unit', 'unit');
  before = await runOf(page);
  await page.click('#did-run');
  await didRun(page, before);

  const event = cli('did', EVENT, '--outcome', 'y', '--group', 'treated', '--treated', '1', '--period', 'period',
    '--start', '2023-4', '--unit', 'unit', '--order', ORDER);
  const eventFields = await assertShownEqual(page, event, SCOPE);
  event.event_study.forEach((_, i) => {
    for (const f of ['estimate', 'classical/se', 'hc1/se', 'cr1/se', 'cr1/ci_low', 'cr1/ci_high', 'cr1/p_value']) {
      assert.ok(eventFields.has(`/event_study/${i}/${f}`), `/event_study/${i}/${f} is shown`);
    }
  });
  for (const f of ['/pretrend/f', '/pretrend/p_f', '/pretrend/df1', '/pretrend/df2']) assert.ok(eventFields.has(f), `${f} is shown`);
  assert.match(await page.innerText(`${SCOPE} .did-pretrend`),
    /Pre-trend test: .*F\(2, 239\) = 0\.5797, p = 0\.56.*No evidence that the groups trended differently before the treatment\./s);
  const heads = await page.$$eval(`${SCOPE} table.did-cells thead th`, (th) => th.map((x) => x.innerText));
  assert.deepEqual(heads.slice(1).map((h) => h.split(' ')[0]), ORDER.split(','), 'the periods in the typed order');
  ink = await inkOf(page, `${SCOPE} canvas`);
  assert.equal(ink.length, 2, 'group means and event-study coefficients');
  for (const sum of ink) assert.ok(sum > 0, 'every chart canvas has been drawn on');

  // A change re-runs: without the unit column there are no clustered errors.
  before = await runOf(page);
  await page.selectOption('#did-unit', '');
  await didRun(page, before);
  const noUnit = cli('did', EVENT, '--outcome', 'y', '--group', 'treated', '--treated', '1', '--period', 'period',
    '--start', '2023-4', '--order', ORDER);
  await assertShownEqual(page, noUnit, SCOPE);

  // An error goes to the one alert region, with its line and column: a period not in the order.
  before = await runOf(page);
  await page.fill('#did-order', '2023-1,2023-2');
  await page.dispatchEvent('#did-order', 'change');
  await page.waitForFunction(() => document.getElementById('did-section').dataset.state === 'error', null, { timeout: WAIT });
  assert.match(await page.innerText('#alert'), /Error: Could not analyze “event_panel\.csv”\. Line 4, column 2: The period '2024-1' is not in --order\./);
  assert.equal(await page.locator('[role=alert]').count(), 1, 'one alert region');

  await noNaN(page);
  await closePage(session);
});
