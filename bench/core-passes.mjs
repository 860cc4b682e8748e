// core-passes.mjs — the WASM core alone: PASSES in-memory passes over FILE in chunks of CHUNK_BYTES
// (no file reading), printing the best pass. bench/instructions.sh runs it under callgrind with 1
// and 3 passes: the difference is what one pass costs once V8 has compiled the module.
//   node --no-liftoff bench/core-passes.mjs FILE [PASSES]
import { readFileSync } from 'node:fs';
import { open, CHUNK_BYTES } from '../wasm/node/index.js';
import { OPTIONS } from './stats.js';

const [path, passesArg = '1'] = process.argv.slice(2);
const cw = await open();
const data = readFileSync(path);
let best = Infinity;
for (let pass = 0; pass < Number(passesArg); pass += 1) {
  const job = cw.job('analysis', OPTIONS);
  try {
    const started = performance.now();
    for (let at = 0; at < data.length; at += CHUNK_BYTES) job.feed(data.subarray(at, at + CHUNK_BYTES));
    best = Math.min(best, performance.now() - started);
    job.finish();
  } finally {
    job.free();
  }
}
console.log(`WASM core, best of ${passesArg}: ${best.toFixed(1)} ms, ${(data.length / 1e3 / best).toFixed(0)} MB/s`);
