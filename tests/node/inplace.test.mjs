// inplace.test.mjs — analyzeFile reads each chunk straight into the core's memory (wasm/node/
// files.js, Job.fill): the result JSON must be byte for byte what analyzeBytes (one copy through
// Job.feed) and the native CLI print, whatever the file's size against the chunk size, through
// the reads again that winsorizing and did make, and with analyses sharing the core at once.
// Misuse of fill is an error, never a write into memory the core has moved or freed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { analyzeBytes, analyzeFile, didFile, open, CHUNK_BYTES, CausewayError } from '../../wasm/node/index.js';
import { fileReader } from '../../wasm/node/files.js';
import { analyzeChunks } from '../../web/js/causeway.js';
import { ROOT } from './fixtures.js';

const NATIVE = join(ROOT, 'build/causeway');
const HILLSTROM = join(ROOT, 'web/samples/hillstrom.csv');
const LALONDE = join(ROOT, 'tests/data/lalonde_nsw_dw.csv'); // 18 KB: less than the 64 KiB sniffed
const HILL = { variant: 'segment', control: 'No E-Mail', metric: 'visit,conversion,spend' };

const flags = (options) => Object.entries(options).flatMap(([k, v]) => [`--${k}`, v]);
function native(cmd, file, options) {
  const r = spawnSync(NATIVE, [cmd, file, ...flags(options)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}
const bytesOf = async (file, options) =>
  (await analyzeBytes(readFileSync(file), { ...options, file: basename(file) })).text;

// A file of whole Hillstrom copies (header once), not a whole number of chunks (CHUNK_BYTES), so
// the last read is short.
const dir = mkdtempSync(join(tmpdir(), 'causeway-inplace-'));
const BIG = join(dir, 'hillstrom3.csv');
{
  const text = readFileSync(HILLSTROM, 'utf8');
  const body = text.slice(text.indexOf('\n') + 1);
  writeFileSync(BIG, text + body + body);
}
test.after(() => rmSync(dir, { recursive: true, force: true }));

const CASES = [
  ['a file of 2.8 chunks', BIG, HILL],
  ['a file smaller than the sniffed 64 KiB', LALONDE, { variant: 'treat', control: '0', metric: 're78,re74' }],
  ['winsorizing (three reads)', BIG, { ...HILL, metric: 'spend', winsorize: '0.99', 'winsorize-tail': 'both' }],
  ['covariates (three reads)', HILLSTROM, { ...HILL, metric: 'spend', covariates: 'recency,history' }],
];
for (const [name, file, options] of CASES) {
  test(`analyzeFile in place = analyzeBytes = native CLI: ${name}`, async () => {
    assert.notEqual(statSync(file).size % CHUNK_BYTES, 0);
    const want = native('analyze', file, options);
    const { text } = await analyzeFile(file, options);
    assert.equal(`${text}\n`, want, 'in place and the native CLI differ');
    assert.equal(await bytesOf(file, options), text, 'in place and analyzeBytes differ');
  });
}

test('did in place (two more reads) = native CLI', async () => {
  const file = join(ROOT, 'tests/data/card_krueger_panel_long.csv');
  const options = { outcome: 'fte', group: 'nj', treated: '1', period: 'wave', post: '2', unit: 'store_id' };
  const { text } = await didFile(file, options);
  assert.equal(`${text}\n`, native('did', file, options));
});

// Reads of any size, a file that is an exact number of them (the last read gives 0 at once)
// and one that is not.
test('room of any size gives the same bytes', async () => {
  const cw = await open();
  const options = { ...HILL, file: basename(HILLSTROM) };
  const want = (await analyzeFile(HILLSTROM, HILL)).text;
  const size = statSync(HILLSTROM).size;
  assert.equal(size % 2, 0);
  for (const room of [1 << 16, (1 << 16) + 7, 65535, size / 2, size, size + 1, 3 << 20]) {
    const { text } = await analyzeChunks(cw, () => fileReader(HILLSTROM, room), options);
    assert.equal(text, want, `room for ${room} bytes`);
  }
});

test('progress counts every byte of every read', async () => {
  const seen = [];
  await analyzeFile(BIG, { ...HILL, metric: 'spend', winsorize: '0.99' }, {
    onProgress: (bytes, pass) => seen.push([bytes, pass]),
  });
  const size = statSync(BIG).size;
  for (const pass of [1, 2, 3]) {
    const mine = seen.filter(([, p]) => p === pass).map(([b]) => b);
    assert.equal(mine.length, Math.ceil(size / CHUNK_BYTES), `pass ${pass}`);
    assert.equal(mine.at(-1), size, `pass ${pass} ends at the file's size`);
  }
});

test('analyses sharing the core at once give the same bytes', async () => {
  const runs = [
    [BIG, HILL], [LALONDE, { variant: 'treat', control: '0', metric: 're78' }],
    [HILLSTROM, { ...HILL, metric: 'spend', winsorize: '0.95' }], [BIG, { ...HILL, alpha: '0.1' }],
  ];
  const alone = [];
  for (const [file, options] of runs) alone.push((await analyzeFile(file, options)).text);
  const together = await Promise.all(runs.map(([file, options]) => analyzeFile(file, options)));
  assert.deepEqual(together.map((r) => r.text), alone);
});

test('errors come out of the in-place path as they do from feed', async () => {
  const bad = join(dir, 'ragged.csv');
  writeFileSync(bad, 'arm,y\nA,1\nB,2,3\n');
  const options = { variant: 'arm', control: 'A', metric: 'y' };
  const err = await analyzeFile(bad, options).catch((e) => e);
  const fed = await analyzeBytes(readFileSync(bad), options).catch((e) => e);
  assert.ok(err instanceof CausewayError, String(err));
  assert.deepEqual(err.toJSON(), fed.toJSON());
  assert.deepEqual([err.code, err.line, err.column], ['row', 3, 3]);
  await assert.rejects(analyzeFile(join(dir, 'missing.csv'), options), { code: 'ENOENT' });
  // the core is still usable afterwards
  assert.equal((await analyzeFile(LALONDE, { variant: 'treat', control: '0', metric: 're78' })).result.arms.length, 2);
});

test('fill: misuse is an error, not a write into moved or freed memory', async () => {
  const cw = await open({ fresh: true });
  const options = { variant: 'arm', control: 'A', metric: 'y' };
  const data = new TextEncoder().encode('arm,y\nA,1\nA,2\nB,3\nB,5\n');

  let job = cw.job('analysis', options);
  assert.throws(() => job.fill(4, () => 5), { code: 'state', message: /write returned 5/ });
  assert.throws(() => job.fill(4, () => undefined), { code: 'state' });
  assert.throws(() => job.fill(-1, () => 0), { code: 'state' });
  assert.throws(() => job.fill(4, () => { throw new Error('read failed'); }), /read failed/);
  // a synchronous write may not call into the core either
  assert.throws(() => job.fill(4, () => job.feed(data)), { code: 'state', message: /fill is writing/ });
  // after all that the job still reads its input
  job.fill(data.length, (view) => { view.set(data); return data.length; });
  assert.equal(job.finish().result.arms.length, 2);
  job.free();

  // while an asynchronous write is pending, nothing reaches the core; turn() waits instead
  job = cw.job('analysis', options);
  let release;
  const gate = new Promise((r) => { release = r; });
  const filled = job.fill(64, async (view) => {
    await gate;
    view.set(data);
    return data.length;
  });
  assert.throws(() => cw.job('analysis', options), { code: 'state' });
  assert.throws(() => job.finish(), { code: 'state' });
  assert.throws(() => cw.power({ n: 100, delta: 1, sd: 1 }), { code: 'state' });
  const waited = cw.turn(() => job.finish());
  release();
  assert.equal(await filled, data.length);
  assert.equal((await waited).result.arms.length, 2);
  job.free();

  // freeing the job while its write is pending waits for the write, then refuses the commit
  job = cw.job('analysis', options);
  const pending = job.fill(64, async (view) => {
    await new Promise((r) => setTimeout(r, 10));
    view.set(data);
    return data.length;
  });
  job.free();
  await assert.rejects(pending, { code: 'state', message: /freed while a fill was writing/ });
  assert.equal(job.handle, 0);

  // an analysis without its options reserves nothing, and says why
  job = cw.job('analysis', {});
  assert.throws(() => job.fill(8, () => 0), { code: 'option', message: /--variant/ });
  job.free();
});

test('a fill survives the memory growing under a large reserve', async () => {
  const cw = await open({ fresh: true });
  const before = cw.core.HEAPU8.buffer.byteLength;
  const job = cw.job('analysis', { variant: 'treat', control: '0', metric: 're78', file: basename(LALONDE) });
  try {
    const data = readFileSync(LALONDE);
    const room = 2 * before; // more than the whole memory: reserve grows it, and the view must be fresh
    const n = job.fill(room, (view) => {
      assert.equal(view.buffer, cw.core.HEAPU8.buffer);
      view.set(data);
      return data.length;
    });
    assert.equal(n, data.length);
    assert.ok(cw.core.HEAPU8.buffer.byteLength > before);
    assert.equal(job.finish().text, (await analyzeFile(LALONDE, { variant: 'treat', control: '0', metric: 're78' })).text);
  } finally {
    job.free();
  }
});
