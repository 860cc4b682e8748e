// causeway.js — the one JS wrapper of the C core (after sql.js src/api.js): owns every heap copy,
// every malloc/free and the single error path. Used by the page's worker and by the Node module.
import createCore from '../build/causeway-core.js';

const STATUS = [
  'ok', 'nomem', 'option', 'state', 'encoding', 'empty', 'no_data', 'column', 'row', 'values', 'arms', 'again',
];
const AGAIN = STATUS.indexOf('again');
const FILL_BYTES = 4 << 20; // room a reader's fill gets, unless it names its own chunkBytes

export class CausewayError extends Error {
  constructor(code, message, line = 0, column = 0) {
    super(message);
    this.name = 'CausewayError';
    this.code = code;
    this.line = line;
    this.column = column;
  }

  toJSON() {
    return { code: this.code, message: this.message, line: this.line, column: this.column };
  }
}

// Load the WASM module. In Node pass {wasmBinary}; in a browser the .wasm is fetched beside the .js.
export async function loadCauseway(moduleArgs = {}) {
  const core = await createCore(moduleArgs);
  return new Causeway(core);
}

// Options are {name: value | [values]} with the CLI's flag names (docs/result-schema.md), or a
// list of [name, value] pairs applied in order.
function* optionPairs(options) {
  const entries = Array.isArray(options) ? options : Object.entries(options);
  for (const [name, value] of entries) {
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) yield [name, String(v)];
  }
}

class Causeway {
  constructor(core) {
    this.core = core;
    this.version = core.UTF8ToString(core._cw_version());
    this.helpText = core.UTF8ToString(core._cw_help_text());
    // While a Job.fill's write runs: true, or for an asynchronous write the promise of its commit.
    this.writing = null;
  }

  // Every call that can reach the core's allocator comes here first. While a fill writes into the
  // core's memory, such a call could grow the memory (detaching the view being written) or move
  // the buffer the view points into, so it is refused instead.
  enter() {
    if (this.writing) {
      throw new CausewayError('state', "a fill is writing into the core's memory: wait for it before calling the core");
    }
  }

  // Run fn once no fill is writing. fn starts in the same tick as the check, so nothing slips in
  // between: analyses sharing one core (e.g. two analyzeFile calls at once) take turns this way.
  async turn(fn) {
    while (this.writing) await Promise.resolve(this.writing).catch(() => {});
    return fn();
  }

  analysis(options = {}) {
    return this.job('analysis', options);
  }

  // Difference in differences (causeway did): the same feed/finish protocol as an analysis.
  did(options = {}) {
    return this.job('did', options);
  }

  job(kind, options) {
    this.enter();
    const job = new Job(this, kind, this.core[`_cw_${kind}_new`]());
    try {
      for (const [name, value] of optionPairs(options)) job.set(name, value);
    } catch (err) {
      job.free();
      throw err;
    }
    return job;
  }

  // Power and sample size: options as the CLI's "power" flags. Returns {text, result}.
  power(options = {}) {
    this.enter();
    const core = this.core;
    const p = core._cw_powercalc_new();
    if (!p) throw new CausewayError('nomem', 'out of memory');
    const fail = () => new CausewayError('option', core.UTF8ToString(core._cw_powercalc_error(p)));
    try {
      const job = new Job(this, 'powercalc', p); // for its string helpers only
      for (const [name, value] of optionPairs(options)) {
        job.withString(name, (np) => job.withString(value, (vp) => {
          if (core._cw_powercalc_set(p, np, vp) !== 0) throw fail();
        }));
      }
      if (core._cw_powercalc_run(p) !== 0) throw fail();
      const text = core.UTF8ToString(core._cw_powercalc_result(p));
      return { text, result: JSON.parse(text) };
    } finally {
      core._cw_powercalc_free(p);
    }
  }

  preview(maxRows = 1000) {
    this.enter();
    return new Job(this, 'preview', this.core._cw_preview_new(maxRows));
  }
}

// One analysis, did or preview: a handle to a C object. Its input goes straight into the C
// reader's own buffer (reserve, write, commit), so a chunk is copied once, or not at all by JS.
class Job {
  constructor(cw, kind, handle) {
    if (!handle) throw new CausewayError('nomem', 'out of memory');
    this.cw = cw;
    this.core = cw.core;
    this.kind = kind;
    this.handle = handle;
    this.filling = false;
    this.freeLater = false;
  }

  fn(name) {
    return this.core[`_cw_${this.kind}_${name}`];
  }

  // Before a call into the core: the job is alive, and no fill is writing.
  enter() {
    if (!this.handle) throw new CausewayError('state', 'this job has been freed');
    this.cw.enter();
  }

  check(status) {
    if (status === 0) return;
    const msg = this.core.UTF8ToString(this.fn('error')(this.handle));
    throw new CausewayError(STATUS[status] ?? `status_${status}`, msg,
      this.fn('error_line')(this.handle), this.fn('error_column')(this.handle));
  }

  withString(text, use) {
    const n = this.core.lengthBytesUTF8(text) + 1;
    const ptr = this.core._malloc(n);
    if (!ptr) throw new CausewayError('nomem', 'out of memory');
    try {
      this.core.stringToUTF8(text, ptr, n);
      return use(ptr);
    } finally {
      this.core._free(ptr);
    }
  }

  set(name, value) {
    this.enter();
    this.withString(name, (np) => this.withString(value, (vp) => {
      this.check(this.fn('set')(this.handle, np, vp));
    }));
  }

  // Hand the core a chunk (Uint8Array): one copy, into the reader's buffer.
  feed(bytes) {
    this.fill(bytes.length, (view) => {
      view.set(bytes);
      return bytes.length;
    });
  }

  // Let write(view) put up to maxLen bytes of the next chunk straight where the core will parse
  // them: view is a Uint8Array over WebAssembly memory, and write returns how many bytes it put at
  // its start, or a promise of that (a file read). Returns the same. Until write is done no call
  // may reach the core (they throw; Causeway.turn waits instead): one could grow the memory,
  // which detaches view, or move the buffer under it. Freeing the job meanwhile waits for write.
  fill(maxLen, write) {
    this.enter();
    if (!Number.isInteger(maxLen) || maxLen < 0 || maxLen >= 2 ** 31) {
      throw new CausewayError('state', `fill: room for ${maxLen} bytes asked; a whole number below 2 GiB was expected`);
    }
    const ptr = this.fn('reserve')(this.handle, maxLen) >>> 0;
    if (!ptr) {
      this.check(this.fn('commit')(this.handle, 0)); // the failure's status and message
      throw new CausewayError('internal', 'the core reserved no room for the input');
    }
    // A fresh view, made after reserve: growing the memory replaces HEAPU8.
    const view = this.core.HEAPU8.subarray(ptr, ptr + maxLen);
    let wrote;
    this.cw.writing = true;
    this.filling = true;
    try {
      wrote = write(view);
    } catch (err) {
      this.settle();
      throw err;
    }
    if (typeof wrote?.then !== 'function') {
      this.settle();
      return this.commit(wrote, maxLen);
    }
    const committed = Promise.resolve(wrote).then((n) => {
      this.settle();
      return this.commit(n, maxLen);
    }, (err) => {
      this.settle();
      throw err;
    });
    this.cw.writing = committed;
    return committed;
  }

  // The end of a fill's write: the core is free again, and a free asked for meanwhile happens.
  settle() {
    this.cw.writing = null;
    this.filling = false;
    if (this.freeLater) this.free();
  }

  commit(n, maxLen) {
    if (!this.handle) throw new CausewayError('state', 'this job was freed while a fill was writing');
    if (!Number.isInteger(n) || n < 0 || n > maxLen) {
      throw new CausewayError('state', `fill: write returned ${n}; the number of bytes written (0 to ${maxLen}) was expected`);
    }
    this.check(this.fn('commit')(this.handle, n));
    return n;
  }

  get bytes() {
    return this.kind === 'preview' ? 0 : this.fn('bytes')(this.handle);
  }

  // Which read of the input the core expects next (1, then 2 and 3 when winsorizing).
  get pass() {
    return this.kind === 'preview' ? 1 : this.fn('pass')(this.handle);
  }

  // Returns {text, result}: the JSON text exactly as the core wrote it, and its parse; or
  // {again: true} when the core needs the same input fed once more from its first byte.
  finish(atEof = true) {
    this.enter();
    if (this.kind !== 'preview') {
      let status;
      try {
        status = this.fn('finish')(this.handle);
      } catch (err) {
        // Emscripten aborts (throws) when getentropy has no crypto source: fail closed, and say so.
        this.dead = true;
        if (/randomDevice|getRandomValues|crypto/i.test(String(err?.message ?? err))) {
          throw new CausewayError('entropy', 'no secure random source (crypto.getRandomValues) is available, '
            + 'so no private release was made');
        }
        throw err;
      }
      if (status === AGAIN) return { again: true };
      this.check(status);
    } else {
      this.check(this.core._cw_preview_finish(this.handle, atEof ? 1 : 0));
    }
    const text = this.core.UTF8ToString(this.fn('result')(this.handle));
    const out = { text, result: JSON.parse(text) };
    // a private release's session fingerprint (for the page's cache; never exported)
    if (this.kind === 'analysis' && out.result.schema === 'causeway.private/1') {
      out.fingerprint = this.core.UTF8ToString(this.core._cw_analysis_fingerprint(this.handle));
    }
    return out;
  }

  // Freeing never grows the memory, so it is allowed while another job's fill writes; this
  // job's own waits for its write to finish (the view points into the buffer it would free).
  free() {
    if (this.filling) {
      this.freeLater = true;
      return;
    }
    if (this.dead) { // the module aborted: its memory can no longer be trusted or freed
      this.handle = 0;
      return;
    }
    if (this.handle) this.fn('free')(this.handle);
    this.handle = 0;
  }
}

// Run a whole analysis; always frees the job. source is an input, or a function returning a
// fresh one, which lets the core read the input again when it asks (winsorizing reads it three
// times). An input is an async iterable of Uint8Array chunks, each copied once into the core, or
// a reader that writes into the core's memory itself: {readInto(view) -> promise of the bytes
// put at the start of view (0 at the end), close(), chunkBytes?}. onProgress(bytes, pass)
// follows each chunk. kind is 'analysis' or 'did'. Every call into the core takes its turn
// (Causeway.turn), so analyses may share one core.
export async function analyzeChunks(cw, source, options, onProgress, kind = 'analysis') {
  const job = await cw.turn(() => cw.job(kind, options));
  try {
    for (let pass = 1; ; pass++) {
      if (pass > 1 && typeof source !== 'function') {
        throw new CausewayError('again', 'this analysis reads the input more than once (--winsorize): '
          + 'give a file or a function that opens the input again');
      }
      const input = typeof source === 'function' ? await source() : source;
      const progress = onProgress ? (bytes) => onProgress(bytes, pass) : () => {};
      if (typeof input?.readInto === 'function') await readInPlace(cw, job, input, progress);
      else await feedChunks(cw, job, input, progress);
      const out = await cw.turn(() => job.finish());
      if (!out.again) return out;
    }
  } finally {
    job.free();
  }
}

async function feedChunks(cw, job, chunks, progress) {
  let bytes = 0;
  for await (const chunk of chunks) {
    await cw.turn(() => job.feed(chunk));
    bytes += chunk.length;
    progress(bytes);
  }
}

async function readInPlace(cw, job, reader, progress) {
  try {
    const room = reader.chunkBytes ?? FILL_BYTES;
    let bytes = 0;
    for (;;) {
      const n = await cw.turn(() => job.fill(room, (view) => reader.readInto(view)));
      if (n === 0) return;
      bytes += n;
      progress(bytes);
    }
  } finally {
    await reader.close?.();
  }
}

// Preview the first bytes of a file (one chunk, or the whole file if it is small).
export function previewBytes(cw, bytes, atEof, maxRows = 1000) {
  const job = cw.preview(maxRows);
  try {
    job.feed(bytes);
    return job.finish(atEof).result;
  } finally {
    job.free();
  }
}
