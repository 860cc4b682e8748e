// run.js — `npm run bench`: the same synthetic experiment through every engine, side by side.
//   node bench/run.js [--quick]      (or BENCH_QUICK=1): --quick skips the 10M-row file
// Engines: the native CLI; our WASM core in Node (analyzeFile, analyzeStream); PapaParse and
// DuckDB-WASM doing the same aggregation; headless Chromium reading the file only, and running
// our core through the page's worker and through the real page. Every engine's per-arm n, mean
// and variance must agree with the native CLI's. Prints a table and the ratios against the
// targets, and writes bench/RESULTS.md. Times are the best of a few passes on a warm page cache;
// memory is the worst pass. MB are 10^6 bytes.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureData, wantedRows } from './gen.js';
import { METRICS, OPTIONS, REL_TOL, compareStats, maxRelDiff, statsFromResult } from './stats.js';
import { runBrowser } from './browser.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const NATIVE = `${ROOT}build/causeway`;
const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const MB = 1e6;

// Passes per engine: more on the small file, where one pass is short and noisy.
const REPS = {
  fast: { '1M': 15, '10M': 5 },  // native, WASM in Node, Chromium (1M: the first passes run before V8 tiers up)
  slow: { '1M': 3, '10M': 3 },   // PapaParse, DuckDB-WASM (its first pass runs on baseline-tier code)
};
// The in-process Node engines: [fresh processes, passes in each]. On the 1M file a whole process
// now and then runs a third to two-thirds slower for all its passes (2026-11-24: analyzeFile at
// 42-86 ms a pass where the next process ran 31-36), so there every Node engine runs in three and
// the best pass of all counts. A process's first passes run on baseline-tier code (ours tiers up
// over ~5 passes of the 1M file, DuckDB-WASM's second pass is its warm one).
const NODE_RUNS = {
  fast: { '1M': [3, 8], '10M': [1, 5] },  // WASM in Node
  slow: { '1M': [3, 2], '10M': [1, 3] },  // PapaParse, DuckDB-WASM
};

const log = (text) => process.stderr.write(`${text}\n`);

// ---- running things --------------------------------------------------------------------------
function run(cmd, args) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString();
      const stderr = Buffer.concat(err).toString();
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.trim()}`));
      else resolveRun({ stdout, stderr, pid: child.pid });
    });
  });
}

function warmCache(path) {
  return new Promise((done, fail) => {
    createReadStream(path, { highWaterMark: 4 << 20 }).on('data', () => {}).on('end', done).on('error', fail);
  });
}

const NATIVE_ARGS = (path) => ['analyze', path, '--variant', OPTIONS.variant, '--control', OPTIONS.control,
  '--metric', OPTIONS.metric];

// The native CLI, timed as a process; peak RSS from /usr/bin/time -v when it is there.
async function nativePass(path) {
  const timed = existsSync('/usr/bin/time');
  const started = performance.now();
  const { stdout, stderr } = timed
    ? await run('/usr/bin/time', ['-v', NATIVE, ...NATIVE_ARGS(path)])
    : await run(NATIVE, NATIVE_ARGS(path));
  const seconds = (performance.now() - started) / 1000;
  const kb = timed ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]) : NaN;
  return { seconds, peakRss: kb * 1024, stats: statsFromResult(JSON.parse(stdout)) };
}

// One fresh Node process running the engine `passes` times (bench/engine.js).
async function childPasses(engine, path, passes) {
  const script = fileURLToPath(new URL('./engine.js', import.meta.url));
  const { stdout } = await run(process.execPath, [script, engine, path, String(passes)]);
  const out = JSON.parse(stdout.trim().split('\n').pop());
  return { ...out, runs: out.times };
}

// The engine in `processes` fresh processes one after the other, `passes` passes in each: the
// best pass of all, the worst memory (peak RSS and its growth during the analysis, each the
// largest of any process), the quickest start-up.
async function processPasses(engine, path, processes, passes) {
  const outs = [];
  for (let i = 0; i < processes; i += 1) outs.push(await childPasses(engine, path, passes));
  const best = outs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return {
    ...best,
    peakRss: Math.max(...outs.map((o) => o.peakRss)),
    analysisRss: Math.max(...outs.map((o) => o.peakRss - o.rssBefore)),
    startupSeconds: Math.min(...outs.map((o) => o.startupSeconds ?? Infinity)),
    runs: outs.flatMap((o) => o.runs),
    processRuns: outs.map((o) => o.runs),
  };
}

// Best time over `reps` passes; memory is the worst pass.
async function measure(reps, pass) {
  const passes = [];
  for (let i = 0; i < reps; i += 1) passes.push(await pass());
  const best = passes.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const worst = (key) => Math.max(...passes.map((p) => p[key] ?? NaN));
  return { ...best, peakRss: worst('peakRss'), runs: passes.map((p) => p.seconds) };
}

// ---- one file through every engine -----------------------------------------------------------
async function nodeEngines(file) {
  const { path, label } = file;
  const rows = [];
  log(`[bench] ${label}: native CLI`);
  const native = await measure(REPS.fast[label], () => nativePass(path));
  rows.push({ key: 'native', ...native, engine: 'native CLI (build/causeway)',
    memory: `${fmtMB(native.peakRss)} peak RSS`, note: passNote(native.runs) });
  for (const [key, engine, reps] of [
    ['wasm', 'WASM in Node, analyzeFile', NODE_RUNS.fast[label]],
    ['wasm-stream', 'WASM in Node, analyzeStream', NODE_RUNS.fast[label]],
    ['papaparse', 'PapaParse (stream + JS Welford)', NODE_RUNS.slow[label]],
    ['duckdb', 'DuckDB-WASM (read_csv + GROUP BY)', NODE_RUNS.slow[label]],
  ]) {
    log(`[bench] ${label}: ${engine}`);
    const child = key === 'wasm' ? 'wasm-file' : key;
    const m = await processPasses(child, path, ...reps);
    rows.push({ key, ...m, engine,
      memory: `${fmtMB(m.peakRss)} peak RSS (+${fmtMB(m.analysisRss)} in analysis)`,
      note: [processNote(m.processRuns), key === 'duckdb'
        ? `start-up ${m.startupSeconds.toFixed(2)} s not included (DuckDB ${m.version ?? '?'}, 1 thread)` : '']
        .filter(Boolean).join('; ') });
  }
  return rows;
}

const seconds = (runs) => runs.map((t) => t.toFixed(3)).join(', ');

function processNote(processRuns) {
  if (processRuns.length === 1) return passNote(processRuns[0]);
  return `${processRuns.length} processes, passes ${processRuns.map(seconds).join(' | ')} s`;
}

function passNote(runs) {
  return runs.length > 1 ? `passes ${seconds(runs)} s` : '';
}

function browserRows(b) {
  const growth = (x) => `+${fmtMB(x.rssGrowth)} Chromium RSS`;
  const cpu = (x) => `Chromium CPU ${x.cpuPerGB.toFixed(2)} core-s/GB, ${x.coresBusy.toFixed(2)} cores busy, `
    + `worker thread ${(100 * x.workerBusy).toFixed(0)} % busy`;
  return [
    { key: 'read', engine: 'Chromium worker, read-only (the page’s own reads)', ...b.read, memory: growth(b.read),
      note: `${cpu(b.read)}; ${passNote(b.read.runs)}` },
    ...(b.readOneCore ? [{ key: 'read1', engine: 'Chromium worker, read-only, all of Chromium on one core (taskset)',
      ...b.readOneCore, memory: growth(b.readOneCore), note: `${cpu(b.readOneCore)}; ${passNote(b.readOneCore.runs)}` }] : []),
    { key: 'read2', engine: 'Chromium, read-only, two workers at once, each reading half the file', ...b.readHalves,
      memory: growth(b.readHalves), note: `${cpu(b.readHalves)}; ${passNote(b.readHalves.runs)}` },
    { key: 'readBusy', engine: 'Chromium worker, read-only, busy as long as the core after each slice (spinning)',
      ...b.readBusy, memory: growth(b.readBusy), note: `${cpu(b.readBusy)}; ${passNote(b.readBusy.runs)}` },
    { key: 'core', engine: 'Chromium worker, the core alone (file in memory)', ...b.core, memory: growth(b.core),
      note: `${cpu(b.core)}; ${passNote(b.core.runs)}`, stats: statsFromResult(b.core.result) },
    { key: 'coreReading', engine: 'Chromium worker, the core reading the File in the page’s slices (feeds timed)',
      ...b.coreReading, memory: growth(b.coreReading),
      note: `${cpu(b.coreReading)}; best pass: feeds ${(1000 * b.coreReading.feedSeconds).toFixed(1)} ms, `
        + `waiting for the File ${(1000 * (b.coreReading.seconds - b.coreReading.feedSeconds)).toFixed(1)} ms; `
        + `${passNote(b.coreReading.runs)}`,
      stats: statsFromResult(b.coreReading.result) },
    { key: 'page', engine: 'Chromium, page worker via client.js', ...b.page, memory: growth(b.page),
      note: `${cpu(b.page)}; ${passNote(b.page.runs)}; ${b.page.progressEvents} progress events, `
        + `${b.page.progressPerSecond.toFixed(1)}/s`,
      stats: statsFromResult(b.page.result) },
    { key: 'real', engine: 'Chromium, web/index.html (setInputFiles)', ...b.real, memory: growth(b.real),
      note: `analysis of ${b.real.metrics.join(',')}; file chosen → results shown ${b.real.endToEndSeconds.toFixed(2)} s; `
        + `${b.real.progressPerSecond.toFixed(1)} progress/s`,
      stats: METRICS.every((m) => b.real.metrics.includes(m)) ? statsFromResult(b.real.result) : null },
  ];
}

// ---- checking and reporting ------------------------------------------------------------------
function fmtMB(bytes) {
  return Number.isFinite(bytes) ? `${(bytes / MB).toFixed(0)} MB` : 'n/a';
}

function check(file, rows) {
  const reference = rows.find((r) => r.key === 'native').stats;
  const mismatches = [];
  for (const row of rows) {
    if (!row.stats) continue;
    row.agreement = maxRelDiff(reference, row.stats);
    for (const problem of compareStats(reference, row.stats)) {
      mismatches.push(`MISMATCH ${file.label} ${row.engine} vs native CLI: ${problem}`);
    }
  }
  return mismatches;
}

function mbps(row, size) {
  return size / MB / row.seconds;
}

function table(results) {
  const lines = [];
  const head = ['file', 'engine', 'MB/s', 'time (s)', 'peak memory', 'notes'];
  lines.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
  for (const { file, rows } of results) {
    for (const r of rows) {
      lines.push(`| ${file.label} | ${r.engine} | ${mbps(r, file.size).toFixed(0)} | ${r.seconds.toFixed(3)} | `
        + `${r.memory} | ${r.note ?? ''} |`);
    }
  }
  return lines;
}

function target(ok) {
  return ok ? 'PASS' : 'MISS';
}

function ratios(results) {
  const lines = ['ratios:'];
  for (const { file, rows } of results) {
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    const speed = (k) => mbps(by[k], file.size);
    const duckWithStart = file.size / MB / (by.duckdb.seconds + by.duckdb.startupSeconds);
    const vsPapa = speed('wasm') / speed('papaparse');
    const vsDuck = speed('wasm') / speed('duckdb');
    const nativeOverWasm = speed('native') / speed('wasm');
    lines.push(
      `  ${file.label}: ours (WASM Node) / PapaParse    = ${vsPapa.toFixed(1)}×   target ≥ 10×    ${target(vsPapa >= 10)}`,
      `  ${file.label}: ours (WASM Node) / DuckDB-WASM  = ${vsDuck.toFixed(1)}×   target ≥ 10×    ${target(vsDuck >= 10)}`
        + `   (${(speed('wasm') / duckWithStart).toFixed(1)}× counting DuckDB's start-up)`,
      `  ${file.label}: native / WASM                   = ${nativeOverWasm.toFixed(2)}×  target ≤ 1.25×  ${target(nativeOverWasm <= 1.25)}`,
    );
    if (by.page && by.read) {
      const pageOverRead = speed('page') / speed('read');
      lines.push(`  ${file.label}: page / read-only (Chromium)     = ${(100 * pageOverRead).toFixed(0)} %   `
        + `target ≥ 90 %   ${target(pageOverRead >= 0.9)}`);
    }
    if (by.page && by.read && by.core) {
      // How many of the machine's cores Chromium kept busy during the passes (part of it elastic:
      // pinned to one core, the read-only worker reads nearly as fast; docs/performance.md).
      lines.push(`  ${file.label}: Chromium cores busy (of ${cpus().length}): read-only ${by.read.coresBusy.toFixed(2)}, `
        + `core alone ${by.core.coresBusy.toFixed(2)}, page worker ${by.page.coresBusy.toFixed(2)}; `
        + `core alone ${speed('core').toFixed(0)} MB/s`);
    }
    if (by.page && by.read && by.read2 && by.readBusy) {
      // Two diagnostics (docs/performance.md): whether one stream is all the File can give, and
      // whether the page loses more than its parse's time on the thread that reads.
      lines.push(`  ${file.label}: read-only in two halves at once / in one stream = ${(speed('read2') / speed('read')).toFixed(2)}×`,
        `  ${file.label}: read-only busy as long as the core / read-only = ${(100 * speed('readBusy') / speed('read')).toFixed(0)} % `
        + `(a page that parses on its reading thread, at no cost but the parse's time); `
        + `page / that = ${(100 * speed('page') / speed('readBusy')).toFixed(0)} %`);
    }
    if (by.coreReading && by.core) {
      lines.push(`  ${file.label}: the core reading the File: ${(1000 * by.coreReading.seconds).toFixed(1)} ms, of which its feeds `
        + `${(1000 * by.coreReading.feedSeconds).toFixed(1)} ms (the core alone, file in memory: ${(1000 * by.core.seconds).toFixed(1)} ms) `
        + `and waiting for the File ${(1000 * (by.coreReading.seconds - by.coreReading.feedSeconds)).toFixed(1)} ms`);
    }
    if (by.page && by.read && by.core && by.read1) {
      // The page must do the reading and the parsing. Pinned to one core, the reading takes at
      // most read1's time in CPU; the core's parse takes its own wall time (one thread). Even
      // spread perfectly over every core, the page cannot beat cores / (both per MB).
      const cores = cpus().length;
      const ceiling = cores / (1 / speed('read1') + 1 / speed('core'));
      lines.push(`  ${file.label}: page ceiling by CPU time on ${cores} cores = ${cores} / (1/${speed('read1').toFixed(0)} `
        + `+ 1/${speed('core').toFixed(0)}) = ${ceiling.toFixed(0)} MB/s = ${(100 * ceiling / speed('read')).toFixed(0)} % `
        + `of read-only; page worker thread ${(100 * by.page.workerBusy).toFixed(0)} % busy`);
    }
  }
  return lines;
}

// ---- the machine -----------------------------------------------------------------------------
async function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const version = async (cmd, args) => (await run(cmd, args).catch(() => ({ stdout: 'n/a' }))).stdout.trim();
  return {
    nproc: (await version('nproc', [])) || String(cpus().length),
    cpu: model,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    load: loadavg().map((x) => x.toFixed(2)).join(' '),
    node: process.version,
    chromium: await version('/usr/bin/chromium', ['--version']),
    emcc: `emcc ${/\d+\.\d+\.\d+/.exec(await version('emcc', ['--version']))?.[0] ?? 'n/a'}`,
    cc: (await version('cc', ['--version'])).split('\n')[0],
  };
}

function packageVersion(name) {
  const path = `${ROOT}node_modules/${name}/package.json`;
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).version : 'n/a';
}

function writeResults({ info, files, results, lines, mismatches, command }) {
  const text = [
    '# Benchmark results',
    '',
    `Measured ${new Date().toISOString()} with \`${command}\` (bench/run.js). Best of a few passes on a`,
    'warm page cache; memory is the worst pass. MB = 10^6 bytes. Node engines each run in a fresh',
    'process and are timed after their module has loaded; the native CLI is timed as a whole process.',
    'Chromium memory is the growth of the resident size of its whole process tree during the pass.',
    'Every pass is listed: on a 2-core machine shared with other work (see the load average), passes',
    'of the same engine can differ by 2× or more, so compare the best passes and rerun when in doubt.',
    '',
    '## Machine',
    '',
    `- CPU: ${info.cpu}, nproc ${info.nproc}; memory ${info.memory}; load average before the run ${info.load}`,
    `- Node ${info.node}; ${info.chromium}; ${info.emcc}; ${info.cc}`,
    `- papaparse ${packageVersion('papaparse')}, @duckdb/duckdb-wasm ${packageVersion('@duckdb/duckdb-wasm')}, `
      + `playwright-core ${packageVersion('playwright-core')}`,
    '',
    '## Data (bench/gen.js, seeded)',
    '',
    ...files.map((f) => `- ${relative(ROOT, f.path)}: ${f.rows} rows, ${f.size} bytes, sha256 ${f.sha256}`),
    '',
    '## Figures',
    '',
    ...table(results),
    '',
    '```',
    ...lines,
    '```',
    '',
    mismatches.length === 0
      ? `Every engine agreed with the native CLI: n per arm exactly, means and variances within ${REL_TOL} relative `
        + `(largest difference seen: ${Math.max(...results.flatMap((r) => r.rows.map((x) => x.agreement ?? 0))).toExponential(1)}).`
      : ['Mismatches:', '', ...mismatches.map((m) => `- ${m}`)].join('\n'),
    '',
  ].join('\n');
  writeFileSync(RESULTS, text);
}

// ---- main ------------------------------------------------------------------------------------
async function main() {
  const started = performance.now();
  const before = await machine(); // the load average before the benchmark adds its own
  const command = `npm run bench${QUICK ? ' -- --quick' : ''}`;
  if (!existsSync(NATIVE)) throw new Error('build/causeway is missing: run "bash build.sh" first');
  const files = wantedRows(QUICK).map((rows) => {
    const data = ensureData(rows, { log });
    return { ...data, rows, label: `${rows / 1e6}M`, size: statSync(data.path).size };
  });
  for (const f of files) await warmCache(f.path);

  const results = [];
  for (const file of files) results.push({ file, rows: await nodeEngines(file) });
  log('[bench] headless Chromium');
  const browser = await runBrowser(files, { options: OPTIONS, reps: (label) => REPS.fast[label], log });
  for (const b of browser) results.find((r) => r.file.label === b.label).rows.push(...browserRows(b));

  const mismatches = results.flatMap(({ file, rows }) => check(file, rows));
  mismatches.push(...browser.flatMap((b) => b.problems.map((p) => `BROWSER ${b.label}: ${p}`)));
  const lines = [...table(results), '', ...ratios(results)];
  console.log(lines.join('\n'));
  if (mismatches.length > 0) {
    console.error(`\n${mismatches.length} MISMATCH(ES) — the engines do not agree:\n${mismatches.join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log(`\nall engines agree with the native CLI (n exactly; means, variances within ${REL_TOL} relative)`);
  }
  const info = before;
  writeResults({ info, files, results, lines: ratios(results), mismatches, command });
  console.log(`machine: ${info.cpu}, nproc ${info.nproc}, ${info.memory}; written ${relative(ROOT, RESULTS)} `
    + `(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

await main();
