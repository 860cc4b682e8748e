// fileslices.js — a File as slices for the core, read the fastest way the browser offers: the
// File's stream through a BYOB reader into two fixed buffers in turn (slice k+1 is read while slice
// k is parsed; nothing is allocated per slice), or File.slice() copies where BYOB is missing. The
// page's worker reads files with it, and so does the benchmark's read-only baseline
// (bench/browser/read-worker.js), so that the baseline is the page's own reading without parsing.

// 2 MiB: against 4 MiB, the page worker went from 516-551 to 698-703 MB/s on the 10M-row bench
// file and its memory growth from +39-40 to +28 MB (bench/run.js, two runs each).
export const SLICE_BYTES = 2 << 20;

// The File readers now reading. While a BYOB read is pending, Chromium's stream does not keep
// itself alive: only the read's promises hold the reader, and they hold the request waiting on
// it, so a garbage collection dropped the whole request and it never answered (bench/run.js
// hung at its fifth pass; tests/e2e/worker-gc.test.mjs). Held here, they stay reachable.
const reading = new Set();

// Bytes [start, end) of the file as a fresh copy.
export function readSlice(file, start, end) {
  return file.slice(start, end).arrayBuffer().then((buf) => new Uint8Array(buf));
}

// The file in slices of copies; slice k+1 is being read while the core parses slice k. Used
// where the File's stream cannot be read into our own buffers.
async function* sliceCopies(file) {
  let next = file.size > 0 ? readSlice(file, 0, SLICE_BYTES) : null;
  for (let start = 0; start < file.size; start += SLICE_BYTES) {
    const current = await next;
    const following = start + SLICE_BYTES;
    next = following < file.size ? readSlice(file, following, following + SLICE_BYTES) : null;
    // If the core stops early, nobody awaits the prefetch: keep its failure from being "unhandled".
    next?.catch(() => {});
    yield current;
  }
}

// Fill buf from a BYOB reader (each read hands the buffer back, moved): {view, buf, done}.
async function fill(reader, buf) {
  let offset = 0;
  while (offset < buf.byteLength) {
    const { value, done } = await reader.read(new Uint8Array(buf, offset, buf.byteLength - offset));
    if (value) buf = value.buffer;
    if (done) return { view: new Uint8Array(buf, 0, offset), buf, done: true };
    offset += value.byteLength;
  }
  return { view: new Uint8Array(buf, 0, offset), buf, done: false };
}

// The file in slices read into two fixed buffers in turn (a BYOB reader of the File's stream):
// the core parses one while the other fills, and nothing is allocated per slice, so memory stays
// flat however large the file. The consumer copies each slice into the core before asking for
// the next, which is what makes reusing the buffer safe; that is the slice's one copy (Job.feed
// writes it straight into the CSV reader's buffer). A BYOB read cannot land in the core's memory
// itself: it transfers the buffer it fills, and WebAssembly memory cannot be transferred.
export async function* slices(file) {
  let reader;
  try {
    reader = file.stream().getReader({ mode: 'byob' });
  } catch {
    yield* sliceCopies(file);
    return;
  }
  reading.add(reader);
  try {
    let spare = new ArrayBuffer(SLICE_BYTES);
    let next = fill(reader, new ArrayBuffer(SLICE_BYTES));
    for (;;) {
      const current = await next;
      if (!current.done) {
        next = fill(reader, spare);
        next.catch(() => {}); // if the core stops early nobody awaits it: not an "unhandled" error
      }
      if (current.view.byteLength > 0) yield current.view;
      if (current.done) return;
      spare = current.buf;
    }
  } finally {
    reading.delete(reader);
    reader.cancel().catch(() => {});
  }
}

