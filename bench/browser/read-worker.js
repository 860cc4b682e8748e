// read-worker.js — the read-only baseline: reads the File exactly as the page's worker does
// (web/js/fileslices.js: BYOB reads into two fixed 2 MiB buffers, slice k+1 read while slice k is
// handed on), and does nothing with the slices but look at one byte of each. Two diagnostics of
// bench/browser.js use it too: bytes [start, end) only (two workers reading halves at once), and
// a spin after each slice as long as the core's parse of it (the page's CPU time without the core).
import { slices } from '/web/js/fileslices.js';

function spin(ms) {
  const until = performance.now() + ms;
  let turns = 0;
  while (performance.now() < until) turns += 1;
  return turns;
}

async function readAll(blob, busyMsPerByte) {
  let bytes = 0;
  let check = 0;
  for await (const chunk of slices(blob)) {
    bytes += chunk.length;
    check ^= chunk[chunk.length - 1]; // look at the bytes once, so nothing is optimised away
    if (busyMsPerByte > 0) check ^= spin(busyMsPerByte * chunk.length) & 1;
  }
  return { bytes, check };
}

self.addEventListener('message', async ({ data }) => {
  if (data.op === 'ping') {
    self.postMessage({ ok: true });
    return;
  }
  try {
    const { file, start = 0, end = file.size, busyMsPerByte = 0 } = data;
    const blob = start === 0 && end === file.size ? file : file.slice(start, end);
    self.postMessage({ ok: true, result: await readAll(blob, busyMsPerByte) });
  } catch (err) {
    self.postMessage({ ok: false, error: String(err?.message ?? err) });
  }
});
