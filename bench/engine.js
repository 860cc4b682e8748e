// engine.js — runs one in-process engine over one file in a fresh Node process, so that each
// engine's memory is measured alone, PASSES times in a row (later passes run on WebAssembly code
// that V8 has tiered up), and prints one JSON line:
//   {engine, seconds, times, startupSeconds, rssBefore, peakRss, stats}
// times are the analysis only (after the engine is loaded), seconds the best of them; peakRss
// is the process's lifetime peak (getrusage maxrss), rssBefore the RSS once the engine was loaded.
//   node bench/engine.js wasm-file|wasm-stream|papaparse|duckdb FILE [PASSES]
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { analyzeFile, analyzeStream, open, CHUNK_BYTES } from '../wasm/node/index.js';
import { METRICS, OPTIONS, statsFromResult } from './stats.js';

const require = createRequire(import.meta.url);

// ---- our engine ------------------------------------------------------------------------------
// The file as CHUNK_BYTES chunks read synchronously: analyzeStream over a plain async generator.
async function* fileChunks(path) {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      const n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

const ours = {
  load: () => open(),
  async run(path, mode) {
    const { result } = mode === 'file'
      ? await analyzeFile(path, OPTIONS)
      : await analyzeStream(fileChunks(path), OPTIONS);
    return statsFromResult(result);
  },
};

// ---- PapaParse: the same aggregation in JavaScript (Welford, as the core does) ----------------
function welford() {
  return { n: 0, mean: 0, m2: 0 };
}

function push(acc, x) {
  acc.n += 1;
  const d = x - acc.mean;
  acc.mean += d / acc.n;
  acc.m2 += d * (x - acc.mean);
}

function finishArms(arms) {
  const stats = {};
  for (const [name, arm] of arms) {
    const entry = { rows: arm.rows };
    for (const metric of METRICS) {
      const acc = arm[metric];
      entry[metric] = { n: acc.n, mean: acc.mean, variance: acc.n > 1 ? acc.m2 / (acc.n - 1) : null };
    }
    stats[name] = entry;
  }
  return stats;
}

function papaAggregator() {
  const arms = new Map();
  let cols = null;
  const armOf = (name) => {
    let arm = arms.get(name);
    if (!arm) {
      arm = { rows: 0, converted: welford(), revenue: welford() };
      arms.set(name, arm);
    }
    return arm;
  };
  const addRow = (row) => {
    if (row.length === 1 && row[0] === '') return; // blank line
    const arm = armOf(row[cols.variant]);
    arm.rows += 1;
    for (const metric of METRICS) {
      const text = row[cols[metric]];
      if (text === '' || text === undefined) continue;
      const x = Number(text);
      if (Number.isFinite(x)) push(arm[metric], x);
    }
  };
  return {
    chunk(rows) {
      let start = 0;
      if (!cols) {
        const header = rows[0];
        cols = Object.fromEntries(['variant', ...METRICS].map((name) => [name, header.indexOf(name)]));
        start = 1;
      }
      for (let i = start; i < rows.length; i += 1) addRow(rows[i]);
    },
    finish: () => finishArms(arms),
  };
}

const papaparse = {
  load: () => require('papaparse'),
  run(path, _mode, Papa) {
    const agg = papaAggregator();
    return new Promise((resolvePromise, reject) => {
      // Node's default 64 KiB stream chunks: PapaParse ran ~2x faster with them than with
      // 4 MiB chunks (its stream reader concatenates strings), so it gets its best setting.
      Papa.parse(createReadStream(path), {
        header: false,
        skipEmptyLines: true,
        chunk: (results) => agg.chunk(results.data),
        complete: () => resolvePromise(agg.finish()),
        error: reject,
      });
    });
  },
};

// ---- DuckDB-WASM, with its blocking Node bundle ----------------------------------------------
function duckdbBundles() {
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  return {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
  };
}

const duckdb = {
  async load() {
    const lib = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
    const db = await lib.createDuckDB(duckdbBundles(), new lib.VoidLogger(), lib.NODE_RUNTIME);
    await db.instantiate();
    return { db, conn: db.connect(), version: db.getVersion() };
  },
  run(path, _mode, { conn }) {
    const file = path.replaceAll("'", "''");
    const table = conn.query(`
      SELECT variant, count(*) AS rows,
             count(converted) AS n_c, avg(converted) AS mean_c, var_samp(converted) AS var_c,
             count(revenue) AS n_r, avg(revenue) AS mean_r, var_samp(revenue) AS var_r
      FROM read_csv('${file}', header = true, delim = ',', quote = '"',
        columns = {'user_id': 'BIGINT', 'variant': 'VARCHAR', 'converted': 'DOUBLE', 'revenue': 'DOUBLE',
                   'pre_revenue': 'DOUBLE', 'period': 'VARCHAR', 'segment': 'VARCHAR'})
      GROUP BY variant`);
    const stats = {};
    for (const r of table.toArray()) {
      stats[r.variant] = {
        rows: Number(r.rows),
        converted: { n: Number(r.n_c), mean: r.mean_c, variance: r.var_c },
        revenue: { n: Number(r.n_r), mean: r.mean_r, variance: r.var_r },
      };
    }
    return stats;
  },
};

const ENGINES = {
  'wasm-file': { impl: ours, mode: 'file' },
  'wasm-stream': { impl: ours, mode: 'stream' },
  papaparse: { impl: papaparse },
  duckdb: { impl: duckdb },
};

async function main() {
  const [name, path, passesArg = '1'] = process.argv.slice(2);
  const engine = ENGINES[name];
  const passes = Number(passesArg);
  if (!engine || !path || !(passes >= 1)) {
    console.error(`usage: node bench/engine.js ${Object.keys(ENGINES).join('|')} FILE [PASSES]`);
    process.exit(2);
  }
  const loadStart = performance.now();
  const loaded = await engine.impl.load();
  const startupSeconds = (performance.now() - loadStart) / 1000;
  const rssBefore = process.memoryUsage().rss;
  const times = [];
  let stats = null;
  for (let i = 0; i < passes; i += 1) {
    const started = performance.now();
    stats = await engine.impl.run(path, engine.mode, loaded);
    times.push((performance.now() - started) / 1000);
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const extra = loaded?.version ? { version: loaded.version } : {};
  console.log(JSON.stringify({
    engine: name, seconds: Math.min(...times), times, startupSeconds, rssBefore, peakRss, stats, ...extra,
  }));
}

await main();
