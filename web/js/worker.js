// worker.js — owns the WebAssembly core (through causeway.js) off the main thread.
// Protocol (docs/result-schema.md, "Errors"):
//   in:  {id, op: 'preview', file}  |  {id, op: 'analyze', file, options}
//        |  {id, op: 'release', file, options}  (a private release: the CLI's flags with
//           'dp-epsilon' required and 'dp-session-key'; result {text, result, fingerprint},
//           schema causeway.private/1; `fingerprint` is the session fingerprint of the true
//           aggregates, for the page's cache of releases only: it is never in `text`)
//        |  {id, op: 'did', file, options}  (the CLI's "did" flags; schema causeway.did/1)
//        |  {id, op: 'power', options}  (the CLI's "power" flags: type, solve, n, delta, sd, p1,
//           p2, power, alpha, alternative, strict; result {text, result}, schema causeway.power/1)
//   out: {id, progress: {bytes, total, pass}}  (analyze only, a few times a second; pass 2 and
//        3 are further reads of the same file when winsorizing)
//        {id, ok: true, result}  |  {id, ok: false, error: {code, message, line, column}}
import { loadCauseway, analyzeChunks, previewBytes, CausewayError } from './causeway.js';
import { readSlice, slices } from './fileslices.js';
import { coreArgs } from './assets.js';

const PREVIEW_BYTES = 1 << 20;
const PROGRESS_MS = 100;

let corePromise = null;
function core() {
  corePromise ??= loadCauseway(coreArgs()).catch((err) => {
    corePromise = null;
    throw new CausewayError('load', `The analysis engine could not be loaded: ${err.message ?? err}`);
  });
  return corePromise;
}

function requireFile(msg) {
  if (!(msg.file instanceof Blob)) throw new CausewayError('option', 'no file was given');
  return msg.file;
}

// Run a job of the core (an analysis or a did) over the File, in slices, with throttled
// progress; the source is a function so the core can read the File again when it asks
// (winsorizing, covariates and did read it more than once). Returns causeway.js's finish():
// {text, result}, plus the fingerprint of a private release.
async function readWith(kind, msg, progress) {
  const file = requireFile(msg);
  const cw = await core();
  const total = file.size;
  let last = 0;
  const onProgress = (bytes, pass) => {
    const now = performance.now();
    if (now - last >= PROGRESS_MS || bytes >= total) {
      last = now;
      progress({ bytes, total, pass });
    }
  };
  const options = { ...msg.options, file: msg.options?.file ?? file.name ?? '' };
  return analyzeChunks(cw, () => slices(file), options, onProgress, kind);
}

const OPS = {
  async preview(msg) {
    const file = requireFile(msg);
    const cw = await core();
    const bytes = await readSlice(file, 0, Math.min(file.size, PREVIEW_BYTES));
    return previewBytes(cw, bytes, file.size <= PREVIEW_BYTES);
  },

  // An ordinary analysis never carries a fingerprint (there is none outside a private release).
  async analyze(msg, progress) {
    const { result, text } = await readWith('analysis', msg, progress);
    return { result, text };
  },

  // A private release. It fails closed: anything but a private release with its fingerprint is
  // an error, so the page can never show (or cache) a non-private result in its private panel.
  async release(msg, progress) {
    if (msg.options?.['dp-epsilon'] === undefined) throw new CausewayError('option', 'a private release needs ε (dp-epsilon)');
    const { result, text, fingerprint } = await readWith('analysis', msg, progress);
    if (result?.schema !== 'causeway.private/1' || !/^[0-9a-f]{64}$/.test(fingerprint ?? '')) {
      throw new CausewayError('internal', 'the engine did not return a private release, so nothing was released');
    }
    return { text, result, fingerprint };
  },

  // Difference in differences (causeway did): options are the CLI's did flags (outcome, group,
  // treated, period, post | start, order, unit, balanced: 'yes'); result {text, result}, schema
  // causeway.did/1.
  async did(msg, progress) {
    const { result, text } = await readWith('did', msg, progress);
    return { result, text };
  },

  async power(msg) {
    const cw = await core();
    return cw.power(msg.options ?? {});
  },
};

function describe(err) {
  if (err instanceof CausewayError) return err.toJSON();
  return {
    code: err?.name === 'NotReadableError' ? 'read' : 'internal',
    message: err?.name === 'NotReadableError'
      ? 'The file could not be read (was it moved or changed?)'
      : String(err?.message ?? err),
    line: 0,
    column: 0,
  };
}

async function run(msg) {
  const { id, op } = msg;
  try {
    const handler = Object.hasOwn(OPS, op) ? OPS[op] : null;
    if (!handler) throw new CausewayError('op', `unknown operation "${op}"`);
    const result = await handler(msg, (p) => self.postMessage({ id, progress: p }));
    self.postMessage({ id, ok: true, result });
  } catch (err) {
    // Without a secure random source the module aborted: its memory cannot be trusted, so the
    // next request loads a fresh one.
    if (err?.code === 'entropy') corePromise = null;
    self.postMessage({ id, ok: false, error: describe(err) });
  }
}

// One request at a time, in order of arrival.
let queue = Promise.resolve();
self.addEventListener('message', (event) => {
  const msg = event.data ?? {};
  queue = queue.then(() => run(msg));
});
