// causeway.js — the one JS wrapper of the C core (after sql.js src/api.js): owns every heap copy,
// every malloc/free and the single error path. Used by the page's worker and by the Node module.
import createCore from '../build/causeway-core.js';

const STATUS = [
  'ok', 'nomem', 'option', 'state', 'encoding', 'empty', 'no_data', 'column', 'row', 'values', 'arms', 'again',
];
const AGAIN = STATUS.indexOf('again');

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
  }

  analysis(options = {}) {
    return this.job('analysis', options);
  }

  // Difference in differences (causeway did): the same feed/finish protocol as an analysis.
  did(options = {}) {
    return this.job('did', options);
  }

  job(kind, options) {
    const job = new Job(this.core, kind, this.core[`_cw_${kind}_new`]());
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
    const core = this.core;
    const p = core._cw_powercalc_new();
    if (!p) throw new CausewayError('nomem', 'out of memory');
    const fail = () => new CausewayError('option', core.UTF8ToString(core._cw_powercalc_error(p)));
    try {
      const job = new Job(core, 'powercalc', p); // for its string helpers only
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
    return new Job(this.core, 'preview', this.core._cw_preview_new(maxRows));
  }
}

// One analysis or preview: a handle to a C object plus a reusable input buffer in wasm memory.
class Job {
  constructor(core, kind, handle) {
    if (!handle) throw new CausewayError('nomem', 'out of memory');
    this.core = core;
    this.kind = kind;
    this.handle = handle;
    this.buf = 0;
    this.cap = 0;
  }

  fn(name) {
    return this.core[`_cw_${this.kind}_${name}`];
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
    this.withString(name, (np) => this.withString(value, (vp) => {
      this.check(this.fn('set')(this.handle, np, vp));
    }));
  }

  // Copy a chunk (Uint8Array) into the reusable buffer and hand it to the core.
  feed(bytes) {
    if (!this.handle) throw new CausewayError('state', 'this job has been freed');
    if (bytes.length > this.cap) {
      if (this.buf) this.core._free(this.buf);
      this.cap = Math.max(bytes.length, 1 << 16);
      this.buf = this.core._malloc(this.cap);
      if (!this.buf) {
        this.cap = 0;
        throw new CausewayError('nomem', 'out of memory');
      }
    }
    // A fresh view each time: memory growth replaces HEAPU8.
    this.core.HEAPU8.set(bytes, this.buf);
    this.check(this.fn('feed')(this.handle, this.buf, bytes.length));
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

  free() {
    if (this.dead) { // the module aborted: its memory can no longer be trusted or freed
      this.handle = 0;
      return;
    }
    if (this.buf) this.core._free(this.buf);
    if (this.handle) this.fn('free')(this.handle);
    this.buf = 0;
    this.cap = 0;
    this.handle = 0;
  }
}

// Run a whole analysis; always frees the job. source is an async iterable of Uint8Array chunks,
// or a function returning a fresh one, which lets the core read the input again when it asks
// (winsorizing reads it three times). onProgress(bytes, pass) follows each chunk. kind is
// 'analysis' or 'did'.
export async function analyzeChunks(cw, source, options, onProgress, kind = 'analysis') {
  const job = cw.job(kind, options);
  try {
    for (let pass = 1; ; pass++) {
      if (pass > 1 && typeof source !== 'function') {
        throw new CausewayError('again', 'this analysis reads the input more than once (--winsorize): '
          + 'give a file or a function that opens the input again');
      }
      const chunks = typeof source === 'function' ? await source() : source;
      let bytes = 0;
      for await (const chunk of chunks) {
        job.feed(chunk);
        bytes += chunk.length;
        if (onProgress) onProgress(bytes, pass);
      }
      const out = job.finish();
      if (!out.again) return out;
    }
  } finally {
    job.free();
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
