// gen.js — seeded synthetic experiment CSVs for the benchmark. The same seed gives the same bytes
// on every run (a 32-bit sfc32 generator seeded by splitmix32; V8's Math.log/cos/exp are fdlibm
// ports, so they do not vary by machine). Files go to bench/data/ and are written only when missing.
//   node bench/gen.js [--quick]      writes the 1M-row file (and the 10M-row one unless --quick)
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';

export const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));
export const SEED = 20240611;
export const HEADER = 'user_id,variant,converted,revenue,pre_revenue,period,segment';

// The arms: share of users, conversion rate, multiplier on converters' spend (a small lift).
const ARMS = [
  { name: 'control', share: 0.45, rate: 0.050, spend: 1.00 },
  { name: 'treatment', share: 0.45, rate: 0.054, spend: 1.02 },
  { name: 'treatment_b', share: 0.10, rate: 0.052, spend: 1.00 },
];
const SEGMENTS = [['mobile', 0.55], ['desktop', 0.35], ['tablet', 0.10]];

function splitmix32(state) {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

// sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), returning doubles in [0, 1).
export function makeRandom(seed) {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const next32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i += 1) next32();
  return () => (next32() + (next32() >>> 11) * 4294967296) / 9007199254740992;
}

// A standard normal by Box–Muller (one draw per call; the second is discarded for simplicity).
function normal(random) {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function pick(table, u) {
  let acc = 0;
  for (const [label, p] of table) {
    acc += p;
    if (u < acc) return label;
  }
  return table[table.length - 1][0];
}

function pickArm(u) {
  let acc = 0;
  for (const arm of ARMS) {
    acc += arm.share;
    if (u < acc) return arm;
  }
  return ARMS[ARMS.length - 1];
}

// Money with two decimals; zero is written "0" as exports usually do.
function money(x) {
  const cents = Math.round(x * 100);
  if (cents === 0) return '0';
  const frac = cents % 100;
  return `${(cents - frac) / 100}.${frac < 10 ? '0' : ''}${frac}`;
}

// One user: a latent spending propensity z ties pre-period spend to conversion and revenue.
function row(id, random) {
  const arm = pickArm(random());
  const z = normal(random);
  const preBuyer = random() < 0.25 + 0.1 * Math.tanh(z);
  const pre = preBuyer ? Math.exp(2.6 + 0.8 * z + 0.4 * normal(random)) : 0;
  const converted = random() < arm.rate * (preBuyer ? 1.6 : 0.8) ? 1 : 0;
  const revenue = converted ? arm.spend * Math.exp(3.0 + 0.8 * z + 0.5 * normal(random)) : 0;
  const period = random() < 0.5 ? 'pre' : 'post';
  const segment = pick(SEGMENTS, random());
  return `${10000000 + id},${arm.name},${converted},${money(revenue)},${money(pre)},${period},${segment}\n`;
}

export function dataPath(rows) {
  return join(DATA_DIR, `experiment_${rows >= 1e6 ? `${rows / 1e6}M` : rows}.csv`);
}

// Write the file for `rows` rows unless it is there; returns {path, sha256, generated, seconds}.
export function ensureData(rows, { log = console.log } = {}) {
  const path = dataPath(rows);
  const sumPath = `${path}.sha256`;
  if (existsSync(path) && existsSync(sumPath)) {
    return { path, sha256: readFileSync(sumPath, 'utf8').trim(), generated: false, seconds: 0 };
  }
  mkdirSync(DATA_DIR, { recursive: true });
  log(`generating ${path} (${rows} rows, seed ${SEED})…`);
  const started = performance.now();
  const tmp = `${path}.partial`;
  const fd = openSync(tmp, 'w');
  const hash = createHash('sha256');
  const write = (text) => {
    const buf = Buffer.from(text, 'latin1');
    hash.update(buf);
    writeSync(fd, buf);
  };
  try {
    const random = makeRandom(SEED);
    let batch = `${HEADER}\n`;
    for (let id = 1; id <= rows; id += 1) {
      batch += row(id, random);
      if (batch.length >= 1 << 20) {
        write(batch);
        batch = '';
      }
    }
    write(batch);
  } finally {
    closeSync(fd);
  }
  const sha256 = hash.digest('hex');
  renameSync(tmp, path);
  writeFileSync(sumPath, `${sha256}\n`);
  return { path, sha256, generated: true, seconds: (performance.now() - started) / 1000 };
}

export function wantedRows(quick) {
  return quick ? [1e6] : [1e6, 1e7];
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const rows of wantedRows(process.argv.includes('--quick'))) {
    const { path, sha256, generated, seconds } = ensureData(rows);
    console.log(`${path}  sha256 ${sha256}${generated ? `  (written in ${seconds.toFixed(1)} s)` : '  (already there)'}`);
  }
}
