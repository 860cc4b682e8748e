// file-passes.mjs — analyzeFile (the Node module reading a file in chunks) timed over PASSES
// passes on FILE, printing the best pass: the file read and the core together, warm page cache.
//   node bench/file-passes.mjs FILE [PASSES]
import { statSync } from 'node:fs';
import { analyzeFile } from '../wasm/node/index.js';
import { OPTIONS } from './stats.js';

const [path, passesArg = '10'] = process.argv.slice(2);
const size = statSync(path).size;
let best = Infinity;
for (let pass = 0; pass < Number(passesArg); pass += 1) {
  const started = performance.now();
  await analyzeFile(path, OPTIONS);
  best = Math.min(best, performance.now() - started);
}
console.log(`analyzeFile, best of ${passesArg}: ${best.toFixed(1)} ms, ${(size / 1e3 / best).toFixed(0)} MB/s`);
