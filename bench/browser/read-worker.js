// read-worker.js — the read-only baseline: reads the File exactly as the page's worker does
// (web/js/fileslices.js: BYOB reads into two fixed 2 MiB buffers, slice k+1 read while slice k is
// handed on), and does nothing with the slices but look at one byte of each.
import { slices } from '/web/js/fileslices.js';

async function readAll(file) {
  let bytes = 0;
  let check = 0;
  for await (const chunk of slices(file)) {
    bytes += chunk.length;
    check ^= chunk[chunk.length - 1]; // look at the bytes once, so nothing is optimised away
  }
  return { bytes, check };
}

self.addEventListener('message', async ({ data }) => {
  if (data.op === 'ping') {
    self.postMessage({ ok: true });
    return;
  }
  try {
    self.postMessage({ ok: true, result: await readAll(data.file) });
  } catch (err) {
    self.postMessage({ ok: false, error: String(err?.message ?? err) });
  }
});
