// faces.test.mjs — the three faces of the core (native CLI, Node CLI, Node module) give the same
// bytes on the shared datasets, the same errors on bad input, and the same help text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFile, analyzeBytes, analyzeStream, preview, CausewayError } from '../../wasm/node/index.js';
import { ROOT } from './fixtures.js';

const NATIVE = join(ROOT, 'build/causeway');
const NODE_CLI = join(ROOT, 'wasm/node/cli.js');

function native(args, input) {
  return spawnSync(NATIVE, args, { cwd: ROOT, encoding: 'utf8', input, maxBuffer: 64 << 20 });
}
function nodeCli(args, input) {
  return spawnSync(process.execPath, [NODE_CLI, ...args], { cwd: ROOT, encoding: 'utf8', input, maxBuffer: 64 << 20 });
}

const CASES = [
  ['web/samples/hillstrom.csv', '--variant', 'segment', '--control', 'No E-Mail', '--metric', 'visit,conversion,spend'],
  ['web/samples/hillstrom.csv', '--variant', 'segment', '--control', 'Mens E-Mail', '--metric', 'spend:continuous', '--alpha', '0.1'],
  ['tests/data/lalonde_nsw_dw.csv', '--variant', 'treat', '--control', '0', '--metric', 're78,re74,re75,age,educ,black,married'],
  ['tests/data/card_krueger_panel_long.csv', '--variant=nj', '--control=0', '--metric=fte', '--metric=wage_st,emppt'],
  // the Katz interval here once differed by 2 ulps between glibc's exp and the WASM build's
  ['tests/data/duplicate_units.csv', '--variant', 'variant', '--control', 'control', '--metric', 'converted,revenue',
    '--unit', 'user_id', '--fisher', 'always', '--bootstrap', '300'],
  ['tests/data/lalonde_nsw_dw.csv', '--variant', 'treat', '--control', '0', '--metric', 're78,re74', '--winsorize', '0.95',
    '--winsorize-tail', 'both', '--correction', 'BH'],
  ['web/samples/hillstrom.csv', '--variant', 'segment', '--control', 'No E-Mail', '--metric', 'spend,visit',
    '--covariates', 'recency,history,mens,womens,newbie'],
  ['tests/data/lalonde_nsw_dw.csv', '--variant', 'treat', '--control', '0', '--metric', 're78,re74', '--pre-metric', 're75'],
];

// Seeded random experiments with every kind of statistic: the native CLI (musl libm) and the
// WASM build must print the same bytes -- special functions included.
test('faces agree byte for byte on 40 random experiments', async () => {
  let s = 12345;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const dir = mkdtempSync(join(tmpdir(), 'causeway-faces-'));
  try {
    for (let k = 0; k < 40; k++) {
      const arms = 2 + Math.floor(rand() * 3);
      const n = 20 + Math.floor(rand() * 400);
      const lines = ['arm,y,b'];
      for (let i = 0; i < n; i++) {
        const a = Math.floor(rand() * arms);
        lines.push(`A${a},${(rand() * 100 * (a + 1)) ** (1 + rand()) / 7},${rand() < 0.05 + 0.1 * a ? 1 : 0}`);
      }
      const file = join(dir, `r${k}.csv`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      const args = ['analyze', file, '--variant', 'arm', '--control', 'A0', '--metric', 'y,b', '--alpha', String(0.01 + rand() * 0.1)];
      const a = native(args);
      const b = nodeCli(args);
      assert.equal(a.status, 0, a.stderr);
      assert.equal(b.stdout, a.stdout, `experiment ${k} differs`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const [file, ...flags] of CASES) {
  test(`faces agree byte for byte: ${file} ${flags.join(' ')}`, async () => {
    const args = ['analyze', file, ...flags];
    const a = native(args);
    const b = nodeCli(args);
    assert.equal(a.status, 0, a.stderr);
    assert.equal(b.status, 0, b.stderr);
    assert.equal(b.stdout, a.stdout, 'Node CLI and native CLI differ');
    const opts = [];
    for (let i = 0; i < flags.length; i++) {
      const f = flags[i];
      if (f.includes('=')) opts.push([f.slice(2, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]);
      else opts.push([f.slice(2), flags[++i]]);
    }
    const { text } = await analyzeFile(join(ROOT, file), opts);
    assert.equal(`${text}\n`, a.stdout, 'Node module and native CLI differ');
    assert.doesNotMatch(a.stdout, /NaN|Infinity/);
  });
}

test('chunk size does not change the result (Node module, 1 byte to whole file)', async () => {
  const bytes = readFileSync(join(ROOT, 'tests/data/lalonde_nsw_dw.csv'));
  const opts = { variant: 'treat', control: '0', metric: 're78' };
  const whole = (await analyzeBytes(bytes, opts)).text;
  for (const size of [1, 7, 4096, 65535, 65536, 65537]) {
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    }
    assert.equal((await analyzeStream(chunks(), opts)).text, whole, `chunks of ${size}`);
  }
});

test('stdin is read like a file', () => {
  const input = readFileSync(join(ROOT, 'tests/data/lalonde_nsw_dw.csv'));
  const args = ['analyze', '-', '--variant', 'treat', '--control', '0', '--metric', 're78'];
  const a = native(args, input);
  const b = nodeCli(args, input);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(b.stdout, a.stdout);
  assert.match(a.stdout, /"file":"<stdin>"/);
});

const BAD = [
  // name, csv text, extra flags, exit code, stderr pattern
  ['empty file', '', [], 1, /^error: <stdin>: the file is empty\n$/],
  ['header only', 'arm,y\n', [], 1, /^error: <stdin>:1: the file has a header but no data rows\n$/],
  ['text in metric', 'arm,y\nA,abc\nB,x\n', [], 1, /^error: <stdin>:2:2: .*'abc'/],
  ['single arm', 'arm,y\nA,1\nA,2\n', [], 1, /^error: <stdin>:0?:?.*only one arm/],
  ['ragged row', 'arm,y\nA,1\nB,2,3\n', [], 1, /^error: <stdin>:3:3: this row has 3 fields but the header has 2/],
  ['missing column', 'arm,z\nA,1\n', [], 1, /^error: <stdin>:1: no column named 'y'/],
  ['utf-16', '\ufeffarm,y', [], 1, null],
  ['unknown option', 'arm,y\nA,1\n', ['--colour', 'red'], 2, /^error: unknown option --colour\n/],
  ['bad alpha', 'arm,y\nA,1\n', ['--alpha', '2'], 2, /--alpha must be a number between 0 and 1/],
];

for (const [name, csv, extra, code, pattern] of BAD) {
  test(`bad input gives the same clear error in both CLIs: ${name}`, () => {
    const input = name === 'utf-16' ? Buffer.from(csv, 'utf16le') : csv;
    const args = ['analyze', '-', '--variant', 'arm', '--control', 'A', '--metric', 'y', ...extra];
    const a = native(args, input);
    const b = nodeCli(args, input);
    assert.equal(a.status, code, a.stderr);
    assert.equal(b.status, code, b.stderr);
    assert.equal(b.stderr, a.stderr);
    assert.equal(a.stdout, '');
    if (pattern) assert.match(a.stderr, pattern);
    else assert.match(a.stderr, /UTF-16/);
  });
}

test('the Node module throws CausewayError with code, line and column', async () => {
  await assert.rejects(
    analyzeBytes(Buffer.from('arm,y\nA,1\nB,2,3\n'), { variant: 'arm', control: 'A', metric: 'y' }),
    (err) => err instanceof CausewayError && err.code === 'row' && err.line === 3 && err.column === 3,
  );
});

test('help and version are the same text in both CLIs', () => {
  for (const args of [['--help'], ['--version'], ['analyze', '--help']]) {
    const a = native(args);
    const b = nodeCli(args);
    assert.equal(a.status, 0);
    assert.equal(b.stdout, a.stdout);
  }
  const help = native(['--help']).stdout;
  for (const flag of ['--variant', '--control', '--metric', '--alpha', '--help', '--version']) {
    assert.ok(help.includes(flag), `--help documents ${flag}`);
  }
});

test('preview profiles columns for the page', async () => {
  const bytes = readFileSync(join(ROOT, 'web/samples/hillstrom.csv'));
  const p = await preview(bytes.subarray(0, 1 << 20), false);
  assert.equal(p.schema, 'causeway.preview/1');
  const seg = p.columns.find((c) => c.name === 'segment');
  assert.deepEqual(seg.values.map((v) => v.value).sort(), ['Mens E-Mail', 'No E-Mail', 'Womens E-Mail']);
  assert.equal(p.columns.find((c) => c.name === 'conversion').binary, true);
  assert.equal(p.columns.find((c) => c.name === 'spend').binary, false);
  assert.equal(p.rows.length, 20);
  assert.equal(p.rows_profiled, 1000);
});

// Excel's plain "CSV" on Western-European Windows is Windows-1252: the core reads it as such and
// hands out UTF-8, so the arm the page offers ("Contrôle") is the arm it then finds. The result
// equals that of the same file saved as UTF-8, but for the encoding it names and the bytes read.
test('a Windows-1252 file reads as its UTF-8 twin in every face', async () => {
  const text = 'variante;converti;chiffre\nContrôle;1;12,5\nTraitement à 5 €;0;0\nContrôle;0;3,25\n'
    + 'Traitement à 5 €;1;40\nTraitement à 5 €;1;7,75\nContrôle;1;0\n';
  const utf8 = Buffer.from(text, 'utf8');
  const cp1252 = Buffer.from([...text].map((ch) => (ch === '€' ? 0x80 : ch.charCodeAt(0))));
  assert.ok(cp1252.includes(0xF4) && cp1252.includes(0x80) && !cp1252.includes(0xC3));
  const opts = { variant: 'variante', control: 'Contrôle', metric: 'converti,chiffre' };

  const p = await preview(cp1252, true);
  assert.equal(p.encoding, 'windows-1252');
  assert.deepEqual(p.columns[0].values.map((v) => v.value), ['Contrôle', 'Traitement à 5 €']);
  assert.equal((await preview(utf8, true)).encoding, 'utf-8');

  const a = (await analyzeBytes(cp1252, opts)).result;
  const b = (await analyzeBytes(utf8, opts)).result;
  assert.equal(a.input.encoding, 'windows-1252');
  assert.equal(b.input.encoding, 'utf-8');
  assert.equal(a.input.bytes, cp1252.length);
  assert.deepEqual({ ...a, input: { ...a.input, encoding: null, bytes: null } },
    { ...b, input: { ...b.input, encoding: null, bytes: null } });
  assert.deepEqual(a.arms.map((arm) => arm.name), ['Contrôle', 'Traitement à 5 €']);

  // the CLIs: the same bytes, valid UTF-8
  const dir = mkdtempSync(join(tmpdir(), 'cw-cp1252-'));
  try {
    const file = join(dir, 'excel.csv');
    writeFileSync(file, cp1252);
    const args = ['analyze', file, '--variant', 'variante', '--control', 'Contrôle', '--metric', 'converti,chiffre'];
    const n = native(args);
    const j = nodeCli(args);
    assert.equal(n.status, 0, n.stderr);
    assert.equal(n.stdout, j.stdout);
    assert.equal(JSON.parse(n.stdout).arms[1].name, 'Traitement à 5 €');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that turns from UTF-8 to another encoding is refused at the line where it does', async () => {
  const mixed = Buffer.concat([Buffer.from('arm,y\nContrôle,1\nB,0\n', 'utf8'), Buffer.from([0x42, 0xE9, 0x2C, 0x31, 0x0A])]);
  await assert.rejects(analyzeBytes(mixed, { variant: 'arm', control: 'B', metric: 'y' }),
    (err) => err instanceof CausewayError && err.code === 'encoding' && err.line === 4
      && /0xE9 is not UTF-8.*mixes two encodings/.test(err.message));
});

// The page previews the first MiB: a slice that ends inside a UTF-8 character is not the end of
// the file, so the character waits (and its row is left out) rather than making the file
// Windows-1252 or an error.
test('a preview cut inside a UTF-8 character stays UTF-8', async () => {
  const bytes = Buffer.from('arm,y\nContrôle,1\nTraitement é,0\nContrôle,1\n', 'utf8');
  const cut = bytes.indexOf(0xC3, 20) + 1; // after the first byte of the é
  const p = await preview(bytes.subarray(0, cut), false);
  assert.equal(p.encoding, 'utf-8');
  assert.deepEqual(p.rows, [['Contrôle', '1']]);
});
