// worker-gc.test.mjs — the page's worker reads a File to the end however often its garbage
// collector runs (regression: while the worker awaited a BYOB read of the File's stream, nothing
// but the read's own promises held the reader, the stream and the analysis waiting on them; a
// collection then dropped them all and the request never answered: bench/run.js hung at its
// fifth page-worker pass). Chromium runs with --expose-gc, and gc() is called in the worker
// again and again while it analyses a 20 MB file (three times, and again until 20 collections
// have run); every answer must be the CLI's.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { at, WAIT, HILLSTROM_ARGS, useBrowser, settled, cli } from './harness.js';

const env = useBrowser({ args: ['--js-flags=--expose-gc'] });
const dir = mkdtempSync(join(tmpdir(), 'causeway-gc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a File read in the worker survives garbage collection during its reads', async () => {
  const text = readFileSync(at('web/samples/hillstrom.csv'), 'utf8');
  const body = text.slice(text.indexOf('\n') + 1);
  const file = join(dir, 'hillstrom5.csv');
  writeFileSync(file, text + body.repeat(4)); // 5 slices of 4 MiB: many reads to collect during
  const want = cli('analyze', file, ...HILLSTROM_ARGS);

  const session = await env.openPage();
  const { page } = session;
  await settled(page, 'hillstrom.csv');
  await page.evaluate(() => {
    const input = Object.assign(document.createElement('input'), { type: 'file', id: 'gc-file', hidden: true });
    document.body.append(input);
  });
  await page.setInputFiles('#gc-file', file);

  const started = page.waitForEvent('worker', { predicate: (w) => w.url().endsWith('/js/worker.js') });
  const answers = page.evaluate(async (options) => {
    const chosen = document.getElementById('gc-file').files[0];
    const worker = new Worker('js/worker.js', { type: 'module' });
    const out = [];
    // at least three analyses, and more until the test has seen enough collections (a loaded
    // machine ran only 4 during three): at most 40
    for (let id = 1; id <= 40 && (id <= 3 || !globalThis.gcEnough); id++) {
      out.push(await new Promise((resolve) => {
        worker.onmessage = ({ data }) => { if (!data.progress) resolve(data); };
        worker.postMessage({ id, op: 'analyze', file: chosen, options });
      }));
    }
    worker.terminate();
    return out;
  }, { variant: 'segment', control: 'No E-Mail', metric: 'visit,conversion,spend' });
  const worker = await started;
  let stop = false;
  let collections = 0;
  const collecting = (async () => {
    while (!stop) {
      await worker.evaluate(() => globalThis.gc()).then(() => { collections++; }, () => { stop = true; });
      if (collections === 20) await page.evaluate(() => { globalThis.gcEnough = true; }).catch(() => {});
    }
  })();
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve('late'), WAIT); });
  const got = await Promise.race([answers, late]);
  clearTimeout(timer);
  stop = true;
  await collecting;
  assert.notEqual(got, 'late', `the worker stopped answering (after ${collections} collections)`);
  assert.ok(collections >= 20, `only ${collections} collections ran during the reads`);
  for (const answer of got) {
    assert.equal(answer.ok, true, JSON.stringify(answer.error));
    assert.deepEqual(answer.result.result, want);
  }
  await env.closePage(session);
});
