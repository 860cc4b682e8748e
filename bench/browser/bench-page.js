// bench-page.js — drives three measurements on the File chosen in #file, called from bench/browser.js
// through page.evaluate: window.bench.read() (the read-only worker), window.bench.analyze() (the
// page's own worker, web/js/worker.js, through the page's own web/js/client.js) and
// window.bench.core() (the core alone on the file in memory, after loadCore()). Each loads its
// worker first and times only the pass over the file.
import { WorkerClient } from '../../web/js/client.js';

const HEAP_SAMPLE_MS = 50;

function chosenFile() {
  const file = document.getElementById('file').files?.[0];
  if (!file) throw new Error('no file chosen');
  return file;
}

// performance.memory (Chromium, main thread only) sampled while `work` runs.
async function withHeapSamples(work) {
  const heap = () => performance.memory?.usedJSHeapSize ?? 0;
  const start = heap();
  let peak = start;
  const timer = setInterval(() => { peak = Math.max(peak, heap()); }, HEAP_SAMPLE_MS);
  try {
    const out = await work();
    return { ...out, mainHeapStart: start, mainHeapPeak: Math.max(peak, heap()) };
  } finally {
    clearInterval(timer);
  }
}

function reply(worker, message) {
  return new Promise((resolve, reject) => {
    worker.addEventListener('message', ({ data }) => {
      if (data.ok) resolve(data.result);
      else reject(new Error(data.error));
    }, { once: true });
    worker.addEventListener('error', (e) => reject(new Error(e.message)), { once: true });
    worker.postMessage(message);
  });
}

let readers = [];

function readWorker(i) {
  readers[i] ??= new Worker(new URL('./read-worker.js', import.meta.url), { type: 'module' });
  return readers[i];
}

// The read-only worker over the whole file; with {halves: true}, two of them at once, each over
// half of the file (its own stream); with {busyMsPerByte}, spinning that long after each slice.
async function read({ halves = false, busyMsPerByte = 0 } = {}) {
  const file = chosenFile();
  const parts = halves ? [[0, Math.floor(file.size / 2)], [Math.floor(file.size / 2), file.size]] : [[0, file.size]];
  await Promise.all(parts.map((_, i) => reply(readWorker(i), { op: 'ping' })));
  return withHeapSamples(async () => {
    const started = performance.now();
    const results = await Promise.all(parts.map(([start, end], i) =>
      reply(readWorker(i), { op: 'read', file, start, end, busyMsPerByte })));
    return { ms: performance.now() - started, bytes: results.reduce((t, r) => t + r.bytes, 0), size: file.size };
  });
}

let client = null;

async function analyze(options) {
  const file = chosenFile();
  client ??= new WorkerClient();
  await client.request('preview', { file }); // starts the worker and loads the core
  return withHeapSamples(async () => {
    const progress = [];
    const started = performance.now();
    const { result } = await client.request('analyze', { file, options },
      (p) => progress.push({ at: performance.now() - started, bytes: p.bytes }));
    return { ms: performance.now() - started, size: file.size, progress, result };
  });
}

let coreWorker = null;

// The core alone, the file already in the worker's memory: load() once per file, then core().
async function loadCore() {
  const file = chosenFile();
  coreWorker ??= new Worker(new URL('./core-worker.js', import.meta.url), { type: 'module' });
  return reply(coreWorker, { op: 'load', file });
}

async function core(options) {
  const { ms, size, result } = await reply(coreWorker, { op: 'run', options });
  return { ms, size, result };
}

// The core in the same worker reading the File itself, as the page does: {ms, feedMs, size, result}.
async function coreReading(options) {
  return reply(coreWorker, { op: 'read-run', file: chosenFile(), options });
}

// Drop the core worker and its copy of the file.
function dropCore() {
  coreWorker?.terminate();
  coreWorker = null;
}

window.bench = { read, analyze, loadCore, core, coreReading, dropCore };
window.benchReady = true;
