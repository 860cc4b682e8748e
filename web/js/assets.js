// assets.js — where the page's three assets come from: the analysis worker, the core's .wasm and
// the bundled sample. Served, each is a file beside the page. The single file (web/singlefile.js)
// puts its own version of this module in its place, which takes them from inside causeway.html.

// A new analysis worker (worker.js, a module worker).
export function startWorker() {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

// loadCauseway's moduleArgs: none, so the Emscripten glue fetches causeway-core.wasm beside itself.
export function coreArgs() {
  return {};
}

// The bundled sample (the Hillstrom e-mail experiment), as a Blob.
export async function sampleBlob() {
  const response = await fetch(new URL('../samples/hillstrom.csv', import.meta.url));
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.blob();
}
