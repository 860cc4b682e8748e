// core-worker.js — the core alone in a Chromium worker: the File is read into memory once, then
// each pass feeds it to a fresh analysis in the page's 2 MiB slices (Job.feed), with no file
// reading in the timed part. Set beside the read-only worker, it says which of the two limits the
// page's worker on this machine: the reading, the parsing, or the cores they share.
import { loadCauseway } from '/web/js/causeway.js';
import { SLICE_BYTES } from '/web/js/fileslices.js';

let core = null;
let file = null;
let bytes = null;

self.addEventListener('message', async ({ data }) => {
  try {
    core ??= await loadCauseway();
    if (data.op === 'load') {
      if (file !== data.file) {
        bytes = null; // let the previous copy go before taking the next
        bytes = new Uint8Array(await data.file.arrayBuffer());
        file = data.file;
      }
      self.postMessage({ ok: true, result: { size: bytes.length } });
      return;
    }
    const job = core.job('analysis', data.options);
    try {
      const started = performance.now();
      for (let at = 0; at < bytes.length; at += SLICE_BYTES) job.feed(bytes.subarray(at, at + SLICE_BYTES));
      const ms = performance.now() - started;
      const { result } = job.finish();
      self.postMessage({ ok: true, result: { ms, size: bytes.length, result } });
    } finally {
      job.free();
    }
  } catch (err) {
    self.postMessage({ ok: false, error: String(err?.message ?? err) });
  }
});
