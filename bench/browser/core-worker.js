// core-worker.js — the core alone in a Chromium worker. 'run': the File, read into memory once
// ('load'), fed to a fresh analysis in the page's 2 MiB slices (Job.feed) with no reading in the
// timed part. 'read-run': the File read in the page's slices (web/js/fileslices.js) and fed as it
// comes, each feed timed: how much of the page's pass is parsing and how much waiting for the
// File. Set beside the read-only worker, they say what limits the page's worker on this machine.
import { loadCauseway } from '/web/js/causeway.js';
import { SLICE_BYTES, slices } from '/web/js/fileslices.js';

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
    if (data.op === 'read-run') { // the page's path (the File in slices), each feed timed
      const job = core.job('analysis', data.options);
      try {
        let feedMs = 0;
        const started = performance.now();
        for await (const chunk of slices(data.file)) {
          const at = performance.now();
          job.feed(chunk);
          feedMs += performance.now() - at;
        }
        const ms = performance.now() - started;
        const { result } = job.finish();
        self.postMessage({ ok: true, result: { ms, feedMs, size: data.file.size, result } });
      } finally {
        job.free();
      }
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
