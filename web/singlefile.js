// singlefile.js — writes web/build/causeway.html, the page as one self-contained file that works
// offline, from file:// and in a sandboxed iframe: CSS, Chart.js, the page's modules, the worker
// (its modules, the Emscripten glue and the .wasm in base64) and the bundled sample (gzip, base64)
// inside, under a CSP that allows no network and only the scripts hashed here. Our modules are
// few and import and export in a handful of plain forms, so a few checked rewrites inline them
// (anything else fails the build); no bundler is needed. The worker is a classic script: Chromium
// does not start a module worker from a blob: URL when the page's origin is opaque (file://, a
// sandboxed iframe). Run by build.sh after the WASM build; does nothing when no input changed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const WEB = dirname(fileURLToPath(import.meta.url));
const OUT = join(WEB, 'build/causeway.html');
const STAMP = `${OUT}.inputs`; // the sha256 of the inputs the file was last written from
const ASSETS = join(WEB, 'js/assets.js'); // the served page's asset hook, replaced in the file

const read = (path) => readFileSync(path, 'utf8');
const sha256 = (text) => createHash('sha256').update(text).digest('base64');
const name = (path) => relative(WEB, path);

// ---- inputs ---------------------------------------------------------------------------------
const JS = join(WEB, 'js');
const inputs = [
  fileURLToPath(import.meta.url), join(WEB, 'index.html'), join(WEB, 'css/style.css'),
  join(WEB, 'vendor/chart.umd.min.js'), join(WEB, 'build/causeway-core.js'),
  join(WEB, 'build/causeway-core.wasm'), join(WEB, 'samples/hillstrom.csv'),
  ...readdirSync(JS).filter((f) => f.endsWith('.js')).sort().map((f) => join(JS, f)),
];
const stamp = createHash('sha256');
for (const file of inputs) stamp.update(`${name(file)}\0`).update(readFileSync(file)).update('\0');
const inputsHash = stamp.digest('hex');
if (existsSync(OUT) && existsSync(STAMP) && read(STAMP).trim() === inputsHash) {
  console.log('[singlefile] web/build/causeway.html is up to date');
  process.exit(0);
}

// ---- inlining our ES modules ----------------------------------------------------------------
const IMPORT_NAMED = /^import\s*\{([^}]*)\}\s*from\s*'([^']+)';[ \t]*$/gm;
const IMPORT_DEFAULT = /^import\s+([A-Za-z_$][\w$]*)\s+from\s*'([^']+)';[ \t]*$/gm;
const EXPORT_DECL = /^export\s+(async\s+function\s*\*?|function\s*\*?|class|const)\s*([A-Za-z_$][\w$]*)/gm;
const EXPORT_DEFAULT = /^export\s+default\s+([A-Za-z_$][\w$]*);?[ \t]*$/gm;

// One module graph as the text of one script: each module becomes a function scope that returns
// its exports, dependencies first; `replace` maps a path to the source used instead. A module
// script by default; `classic` makes a strict classic script, in which import.meta.url becomes
// self.location.href (the same URL for a worker that is one script).
function bundle(entry, { replace = new Map(), classic = false } = {}) {
  const order = []; // [{path, code, exports}], dependencies first
  const ids = new Map();
  const visiting = new Set();

  function visit(path) {
    if (ids.has(path)) return ids.get(path);
    if (visiting.has(path)) throw new Error(`${name(path)}: circular import, which this inliner does not handle`);
    visiting.add(path);
    let code = replace.get(path) ?? read(path);
    const imported = (spec) => `$module${visit(resolve(dirname(path), spec))}`;
    code = code.replace(IMPORT_NAMED, (_, names, spec) => {
      const fields = names.split(',').map((s) => s.trim()).filter(Boolean)
        .map((s) => s.replace(/^([\w$]+)\s+as\s+([\w$]+)$/, '$1: $2'));
      return `const { ${fields.join(', ')} } = ${imported(spec)};`;
    });
    code = code.replace(IMPORT_DEFAULT, (_, local, spec) => `const ${local} = ${imported(spec)}.default;`);
    const exports = [];
    code = code.replace(EXPORT_DECL, (_, kind, id) => {
      exports.push(id);
      return `${kind} ${id}`;
    });
    code = code.replace(EXPORT_DEFAULT, (_, id) => {
      exports.push(`default: ${id}`);
      return '';
    });
    if (classic) code = code.replace(/\bimport\.meta\.url\b/g, 'self.location.href');
    const left = code.match(/^\s*(import|export)\b(?!\.meta)[^\n]*|\bimport\s*\(/m)
      ?? (classic ? code.match(/\bimport\.meta\b/) : null);
    if (left) throw new Error(`${name(path)}: "${left[0].trim()}" is a form of import or export this inliner does not handle`);
    visiting.delete(path);
    const id = order.length;
    order.push({ path, code, exports });
    ids.set(path, id);
    return id;
  }

  visit(entry);
  const text = order.map(({ path, code, exports }, id) => `// ---- ${name(path)}\nconst $module${id} = (() => {\n${code}\n`
    + `return { ${exports.join(', ')} };\n})();\n`).join('');
  return classic ? `(() => {\n'use strict';\n${text}})();\n` : text;
}

// A JS string literal that is safe inside an inline <script>.
const literal = (value) => (value === null ? 'null' : JSON.stringify(value).replace(/</g, '\\u003c'));

// The file's assets.js: the same three exports, made from what the file carries (the page's copy
// holds the worker's code and the sample; the worker's copy holds the .wasm).
function embeddedAssets({ worker = null, wasm = null, sample = null }) {
  return `// assets.js as web/singlefile.js writes it into causeway.html: everything comes from inside the file.
const WORKER = ${literal(worker)}; // worker.js as a classic script, started from a Blob URL
const WASM = ${literal(wasm)}; // causeway-core.wasm, base64
const SAMPLE = ${literal(sample)}; // samples/hillstrom.csv, gzip, base64
const bytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

let workerBlobUrl = null;
export function startWorker() {
  workerBlobUrl ??= URL.createObjectURL(new Blob([WORKER], { type: 'text/javascript' }));
  return new Worker(workerBlobUrl);
}

// locateFile keeps the glue from resolving the .wasm's name against a blob: URL (which throws).
export function coreArgs() {
  return { wasmBinary: bytes(WASM), locateFile: (file) => file };
}

export function sampleBlob() {
  const gzipped = new Blob([bytes(SAMPLE)]).stream();
  return new Response(gzipped.pipeThrough(new DecompressionStream('gzip'))).blob();
}
`;
}

// ---- the file -------------------------------------------------------------------------------
const wasm = readFileSync(join(WEB, 'build/causeway-core.wasm')).toString('base64');
const sample = gzipSync(readFileSync(join(WEB, 'samples/hillstrom.csv')), { level: 9 }).toString('base64');
const worker = bundle(join(JS, 'worker.js'), { replace: new Map([[ASSETS, embeddedAssets({ wasm })]]), classic: true });
const pageScript = bundle(join(JS, 'main.js'), { replace: new Map([[ASSETS, embeddedAssets({ worker, sample })]]) });
const chartScript = read(join(WEB, 'vendor/chart.umd.min.js')).replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
const style = read(join(WEB, 'css/style.css'));

// Inline text must not end its element early, nor open an HTML comment inside a script.
for (const [what, text] of [['the page script', pageScript], ['Chart.js', chartScript], ['the style', style]]) {
  const bad = text.match(/<\/script|<\/style|<!--/i);
  if (bad) throw new Error(`${what} contains "${bad[0]}", which would break out of its inline element`);
  if (text.includes('\r')) throw new Error(`${what} contains CR, which the HTML parser changes (and so its hash)`);
}

const CSP = [
  "default-src 'none'",
  `script-src 'sha256-${sha256(chartScript)}' 'sha256-${sha256(pageScript)}' 'wasm-unsafe-eval'`,
  'worker-src blob:',
  "connect-src 'none'",
  'img-src data: blob:',
  `style-src 'sha256-${sha256(style)}'`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

// Each tag of index.html that names a file is swapped for the file's content, exactly once.
let html = read(join(WEB, 'index.html'));
function swap(pattern, replacement) {
  const found = html.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
  if (found !== 1) throw new Error(`index.html: ${pattern} found ${found} times, once expected`);
  html = html.replace(pattern, () => replacement);
}
swap(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${CSP}">`);
swap(/<link rel="stylesheet" href="css\/style\.css">/, `<style>${style}</style>`);
swap(/<script defer src="vendor\/chart\.umd\.min\.js"><\/script>/, `<script>${chartScript}</script>`);
swap(/<script type="module" src="js\/main\.js"><\/script>/, `<script type="module">${pageScript}</script>`);
const left = html.match(/\s(src|href)="(?!data:|#)[^"]*"/);
if (left) throw new Error(`index.html still names a file: ${left[0].trim()}`);

writeFileSync(`${OUT}.tmp`, html);
renameSync(`${OUT}.tmp`, OUT);
writeFileSync(STAMP, `${inputsHash}\n`);
console.log(`[singlefile] wrote web/build/causeway.html (${(Buffer.byteLength(html) / 1e6).toFixed(2)} MB)`);
