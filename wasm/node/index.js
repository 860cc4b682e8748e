// index.js — the Node face of the core: the same WASM build and the same wrapper the page's
// worker uses (web/js/causeway.js), plus helpers that read files and streams in chunks.
//   import { open, analyzeFile } from 'causeway';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCauseway, analyzeChunks, previewBytes, CausewayError } from '../../web/js/causeway.js';
import { fileReader } from './files.js';

export { CausewayError };

const WASM = fileURLToPath(new URL('../../web/build/causeway-core.wasm', import.meta.url));
// 2 MiB chunks: with the read-ahead buffer and the reader's own, a pass's working set stays in the
// cache better than with 4 MiB (1M-row bench file, one process, 30 alternating rounds: 30.3 ms
// against 32.2-32.4 ms; 1 MiB 30.6 ms).
export const CHUNK_BYTES = 2 << 20;

let shared = null;

// The loaded core (one per process; pass {fresh: true} for a separate instance).
export async function open({ fresh = false } = {}) {
  if (fresh) return loadCauseway({ wasmBinary: readFileSync(WASM) });
  if (!shared) shared = loadCauseway({ wasmBinary: readFileSync(WASM) });
  return shared;
}

// Analyse a CSV file in 2 MiB chunks, each read ahead while the core parses the one before (files.js);
// '-' is standard input, fed chunk by chunk. options: {variant, control, metric, alpha} as the
// CLI's flags. Returns {text, result}: the JSON text exactly as the CLI prints it, and its parse.
export async function analyzeFile(path, options, { onProgress, kind = 'analysis' } = {}) {
  const cw = await open();
  const reopen = () => fileReader(path, CHUNK_BYTES);
  const chunks = path === '-' ? process.stdin : reopen; // a path can be read again when the core asks
  const name = path === '-' ? '<stdin>' : basename(path);
  const named = Array.isArray(options) ? [...options, ['file', name]] : { ...options, file: name };
  return analyzeChunks(cw, chunks, named, onProgress, kind);
}

// Difference in differences of a long CSV file: {outcome, group, treated, period, post, unit,
// balanced: 'yes'} as the CLI's did flags. Returns {text, result} (schema causeway.did/1).
export async function didFile(path, options, { onProgress } = {}) {
  return analyzeFile(path, options, { onProgress, kind: 'did' });
}

// Analyse any async iterable of Uint8Array chunks (a stream, a generator, a fetch body), or a
// function returning a fresh one each time it is called (needed for --winsorize).
export async function analyzeStream(chunks, options, { onProgress } = {}) {
  return analyzeChunks(await open(), chunks, options, onProgress);
}

// Analyse bytes already in memory.
export async function analyzeBytes(bytes, options) {
  return analyzeStream(() => [bytes], options);
}

// Power and sample size (R's power.t.test / power.prop.test): {n, delta, sd, p1, p2, power, alpha, ...}.
export async function power(options) {
  return (await open()).power(options);
}

// Profile the first rows (as the page does before guessing the columns).
export async function preview(bytes, atEof = true) {
  return previewBytes(await open(), bytes, atEof);
}
