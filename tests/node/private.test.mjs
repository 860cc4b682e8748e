// private.test.mjs — the private release through the shipped faces (native CLI, Node CLI, Node
// module on the WASM build): fresh noise from the secure source on every run, the same schema
// from every face, no seed entry point in a release build, the WASM module's imports (no
// randomness but getentropy, DP-SPEC (c)1), and failing closed without crypto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFile } from '../../wasm/node/index.js';
import { ROOT } from './fixtures.js';

const NATIVE = join(ROOT, 'build/causeway');
const NODE_CLI = join(ROOT, 'wasm/node/cli.js');
const WASM = join(ROOT, 'web/build/causeway-core.wasm');
const GLUE = join(ROOT, 'web/build/causeway-core.js');

const ARGS = ['web/samples/hillstrom.csv', '--variant', 'segment', '--control', 'No E-Mail',
  '--metric', 'visit:binary,spend', '--arms', 'No E-Mail,Mens E-Mail,Womens E-Mail',
  '--bounds', 'spend=0:500', '--dp-epsilon', '1'];
const OPTIONS = {
  variant: 'segment', control: 'No E-Mail', metric: 'visit:binary,spend',
  arms: 'No E-Mail,Mens E-Mail,Womens E-Mail', bounds: 'spend=0:500', 'dp-epsilon': '1',
};

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { ...r, json: r.status === 0 ? JSON.parse(r.stdout) : null };
}

// The parts of a release that do not depend on the noise.
function shape(result) {
  const { privacy, metrics } = result;
  return {
    privacy: { ...privacy },
    metrics: metrics.map((m) => ({ name: m.name, kind: m.kind, bounds: m.bounds, arms: m.arms.map((a) => a.name) })),
  };
}

test('every face makes a private release with fresh noise each time', async () => {
  const a = run(NATIVE, ['analyze', ...ARGS]);
  const b = run(NATIVE, ['analyze', ...ARGS]);
  const c = run(process.execPath, [NODE_CLI, 'analyze', ...ARGS]);
  const d = (await analyzeFile(join(ROOT, 'web/samples/hillstrom.csv'), OPTIONS)).result;
  for (const r of [a, b, c]) assert.equal(r.status, 0, r.stderr);
  assert.equal(a.json.schema, 'causeway.private/1');
  assert.deepEqual(shape(a.json), shape(c.json));
  assert.deepEqual(shape(a.json), shape(d));
  assert.notEqual(a.stdout, b.stdout, 'two releases must not share their noise');
  assert.notEqual(a.stdout, c.stdout);
  const p = a.json.privacy;
  assert.equal(p.accounting, 'pure');
  assert.equal(p.epsilon, 1);
  assert.ok(p.spent.epsilon <= p.epsilon);
  assert.deepEqual(p.statistics.map((s) => `${s.metric}:${s.statistic}`),
    ['visit:table', 'spend:count', 'spend:sum', 'spend:sum_of_squares']);
  // the budget adds up to no more than epsilon, exactly (dyadic rationals)
  const total = p.statistics.reduce((s, x) => s + x.epsilon, 0);
  assert.ok(total <= 1, `statistics spend ${total}`);
  // the real sizes: about 21,300 people per arm; noisy, but not wildly off
  for (const arm of a.json.metrics[0].arms) assert.ok(Math.abs(arm.n - 21300) < 400, `${arm.name}: ${arm.n}`);
  // no true count or data-quality figure in a release
  assert.ok(!('rows_read' in a.json) && !('input' in a.json && 'rows_read' in a.json.input));
});

test('zCDP with delta uses the discrete Gaussian and converts back to (epsilon, delta)', () => {
  const r = run(NATIVE, ['analyze', ...ARGS, '--dp-delta', '1e-6']);
  assert.equal(r.status, 0, r.stderr);
  const p = r.json.privacy;
  assert.equal(p.accounting, 'zCDP');
  assert.ok(p.statistics.every((s) => s.mechanism === 'discrete_gaussian'));
  assert.ok(p.spent.epsilon <= 1 + 1e-12, `spent ${p.spent.epsilon}`);
  assert.ok(p.rho > 0 && p.spent.rho <= p.rho);
});

test('a release build has no seeded source: --dp-test-seed is unknown to every face', async () => {
  for (const cmd of [[NATIVE], [process.execPath, NODE_CLI]]) {
    const r = spawnSync(cmd[0], [...cmd.slice(1), 'analyze', ...ARGS, '--dp-test-seed', '1'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /unknown option --dp-test-seed/);
  }
  // the ChaCha20 constant would be in the binary if the test generator were compiled in
  for (const file of [WASM, NATIVE]) {
    assert.equal(readFileSync(file).includes('expand 32-byte k'), false, `${file} holds ChaCha20`);
  }
});

// The import section of a WebAssembly binary: [{module, name, kind}].
function wasmImports(bytes) {
  let i = 8;
  const u32 = () => {
    let x = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[i++];
      x |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return x >>> 0;
      shift += 7;
    }
  };
  const name = () => {
    const n = u32();
    const s = new TextDecoder().decode(bytes.subarray(i, i + n));
    i += n;
    return s;
  };
  while (i < bytes.length) {
    const id = bytes[i++];
    const size = u32();
    const end = i + size;
    if (id !== 2) {
      i = end;
      continue;
    }
    const out = [];
    for (let n = u32(); n > 0; n--) {
      const module = name();
      const field = name();
      const kind = bytes[i++];
      if (kind === 0) u32(); // function type index
      else if (kind === 1) { i++; const f = u32(); u32(); if (f & 1) u32(); } // table
      else if (kind === 2) { const f = u32(); u32(); if (f & 1) u32(); } // memory
      else if (kind === 3) i += 2; // global
      out.push({ module, name: field, kind });
    }
    return out;
  }
  return [];
}

test('the shipped .wasm imports no randomness but getentropy, and the glue never calls Math.random', () => {
  const glue = readFileSync(GLUE, 'utf8');
  // -O3 minifies import names; the glue's asmLibraryArg maps them to the JS functions behind them
  const table = glue.match(/asmLibraryArg\s*=\s*\{([^}]*)\}/);
  assert.ok(table, 'no asmLibraryArg in the glue');
  const behind = Object.fromEntries([...table[1].matchAll(/"?([\w$]+)"?\s*:\s*([\w$]+)/g)].map((m) => [m[1], m[2]]));
  const imports = wasmImports(readFileSync(WASM));
  const names = imports.filter((x) => x.kind === 0).map((x) => (behind[x.name] ?? x.name).replace(/^_/, ''));
  assert.ok(names.includes('getentropy'), `imports: ${names.join(', ')}`);
  const random = names.filter((n) => /random|rand|seed|time|clock/i.test(n) && n !== 'getentropy');
  assert.deepEqual(random, [], `random-looking imports: ${random.join(', ')}`);
  assert.deepEqual(names.sort(), ['emscripten_memcpy_big', 'emscripten_resize_heap', 'getentropy'],
    'a new import needs a look before it ships');
  assert.equal(/Math\.random\s*\(/.test(glue), false, 'Math.random is called in the glue');
});

test('without crypto the release fails closed with a clear message', () => {
  const script = `
    delete globalThis.crypto;
    const { analyzeFile } = await import(${JSON.stringify(join(ROOT, 'wasm/node/index.js'))});
    try {
      const r = await analyzeFile(${JSON.stringify(join(ROOT, 'web/samples/hillstrom.csv'))}, ${JSON.stringify(OPTIONS)});
      console.log('RELEASED ' + r.text.length);
    } catch (err) {
      console.log('REFUSED ' + err.code + ': ' + err.message);
    }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.match(r.stdout, /^REFUSED entropy: no secure random source/m, r.stdout + r.stderr);
});
