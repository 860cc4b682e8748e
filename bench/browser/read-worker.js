// read-worker.js — the read-only baseline: reads the File in 4 MiB slices (File.slice().arrayBuffer(),
// slice k+1 requested while slice k is handed on), and does nothing with them.
const SLICE_BYTES = 4 << 20;

function readSlice(file, start, end) {
  return file.slice(start, end).arrayBuffer().then((buf) => new Uint8Array(buf));
}

async function* slices(file) {
  let next = file.size > 0 ? readSlice(file, 0, SLICE_BYTES) : null;
  for (let start = 0; start < file.size; start += SLICE_BYTES) {
    const current = await next;
    const following = start + SLICE_BYTES;
    next = following < file.size ? readSlice(file, following, following + SLICE_BYTES) : null;
    yield current;
  }
}

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
