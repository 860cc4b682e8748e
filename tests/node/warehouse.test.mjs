// warehouse.test.mjs — the DuckDB query of docs/warehouse.md, run by DuckDB-WASM (npm) on a
// seeded synthetic experiment, gives a summary file whose analysis equals the raw rows' to 1e-9
// relative (the summary path merges group moments by Chan et al.; the raw path batches rows --
// both are exact up to rounding, ~1e-14 here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { analyzeFile } from '../../wasm/node/index.js';
import { relErr, ROOT } from './fixtures.js';

const require = createRequire(import.meta.url);

// The ```sql duckdb block of docs/warehouse.md, so the documented query is the tested one.
function documentedQuery() {
  const doc = readFileSync(join(ROOT, 'docs/warehouse.md'), 'utf8');
  const m = doc.match(/```sql duckdb\n([\s\S]*?)```/);
  assert.ok(m, 'docs/warehouse.md has a ```sql duckdb block');
  return m[1];
}

// A seeded experiment: three arms, 0/1 conversions with a lift, skewed revenue, some missing.
function writeExperiment(path, rows) {
  let s = 0x9e3779b9;
  const rand = () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
  const lines = ['user_id,variant,converted,revenue'];
  for (let i = 1; i <= rows; i++) {
    const u = rand();
    const variant = u < 0.45 ? 'control' : u < 0.9 ? 'treatment' : 'treatment_b';
    const p = variant === 'control' ? 0.1 : 0.115;
    const converted = rand() < p ? 1 : 0;
    const revenue = converted ? (Math.exp(3 + rand() * 1.5) + 1000).toFixed(2) : '0';
    lines.push(`${i},${variant},${converted},${rand() < 0.01 ? '' : revenue}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function duckdb() {
  const lib = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
  const bundles = {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
  };
  const db = await lib.createDuckDB(bundles, new lib.VoidLogger(), lib.NODE_RUNTIME);
  await db.instantiate();
  return db.connect();
}

// DuckDB hands back strings, BigInts (counts) and doubles; String() of a double is the shortest
// text that reads back to it, so nothing is lost on the way to the CSV.
const csvField = (v) => (v === null || v === undefined ? '' : typeof v === 'string' ? v
  : typeof v === 'bigint' ? String(v) : String(Number(v)));

test('the documented DuckDB summary gives the raw rows\' results', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'causeway-wh-'));
  try {
    const raw = join(dir, 'experiment.csv');
    writeExperiment(raw, 50_000);
    const conn = await duckdb();
    const sql = documentedQuery().replace("'experiment.csv'", `'${raw}'`);
    const table = conn.query(sql);
    const names = table.schema.fields.map((f) => f.name);
    const rows = table.toArray().map((r) => names.map((n) => csvField(r[n])).join(','));
    const summary = join(dir, 'summary.csv');
    writeFileSync(summary, `${names.join(',')}\n${rows.join('\n')}\n`);

    const opts = { variant: 'variant', control: 'control', metric: ['converted', 'revenue'] };
    const a = (await analyzeFile(raw, opts)).result;
    const b = (await analyzeFile(summary, opts)).result;
    assert.equal(a.input.summary, false);
    assert.equal(b.input.summary, true);
    for (const arm of b.arms) assert.equal(arm.rows, a.arms.find((x) => x.name === arm.name).rows);
    let checked = 0;
    for (const [i, m] of a.metrics.entries()) {
      assert.equal(b.metrics[i].kind, m.kind, `${m.name} kind`);
      for (const c of m.comparisons) {
        const d = b.metrics[i].comparisons.find((x) => x.arm === c.arm);
        for (const k of ['difference', 'ci_low', 'ci_high', 'p_value', 'p_adjusted']) {
          assert.ok(relErr(d[k], c[k]) <= 1e-9, `${m.name} ${c.arm} ${k}: summary ${d[k]} raw ${c[k]}`);
          checked++;
        }
        assert.ok(relErr(d.welch.se, c.welch.se) <= 1e-9);
      }
    }
    assert.ok(checked >= 20);
    assert.ok(relErr(b.srm.p_value, a.srm.p_value) <= 1e-12);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
