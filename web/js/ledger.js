// ledger.js — the page session's memory of private releases (DP-SPEC B2, "one result per
// budget"), kept in sessionStorage so it lasts as long as the tab, reloads included:
//  - the session key: 32 random bytes drawn once with crypto.getRandomValues, which the core
//    mixes into each release's fingerprint (a salted SHA-256 of the true aggregates);
//  - the cache of releases, keyed by that fingerprint and the public parameters the fingerprint
//    does not cover: the same data and parameters give back the same release text, byte for
//    byte, so re-running cannot be used to average the noise away;
//  - the ledger: per dataset (file name, size and modification time), the ε (and δ) of each
//    release made, whose sums are what the people in that file have been exposed to.
// The fingerprint never leaves this module's storage: it is not shown, exported or put in a
// release. If sessionStorage is unavailable or full, the page's memory stands in for it (the
// guarantee then lasts until the page is closed or reloaded).

const KEY = 'causeway.dp.session-key';
const RELEASES = 'causeway.dp.releases';
const LEDGER = 'causeway.dp.ledger';

// ---- storage with a fallback -----------------------------------------------------------------
const memory = new Map();

function storage() {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // a sandboxed page may throw on mere access
  }
}

function load(name, fallback) {
  let text = memory.get(name) ?? null;
  if (text === null) {
    try {
      text = storage()?.getItem(name) ?? null;
    } catch {
      text = null;
    }
  }
  if (text === null) return fallback;
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

// Writes to sessionStorage; when that fails (quota, privacy settings) the value is kept in memory,
// which is then read first.
function save(name, value) {
  const text = JSON.stringify(value);
  try {
    const s = storage();
    if (!s) throw new Error('no sessionStorage');
    s.setItem(name, text);
    memory.delete(name);
  } catch {
    memory.set(name, text);
  }
}

// ---- the session key ---------------------------------------------------------------------------
export class EntropyError extends Error {
  constructor() {
    super('no secure random source (crypto.getRandomValues) is available, so no private release was made');
    this.name = 'EntropyError';
    this.code = 'entropy';
  }
}

// The hex key for the core's 'dp-session-key' option (64 lowercase hex digits), drawn once per
// session. Throws EntropyError without crypto.getRandomValues (never falls back to Math.random).
export function sessionKey() {
  const stored = load(KEY, null);
  if (typeof stored === 'string' && /^[0-9a-f]{64}$/.test(stored)) return stored;
  if (typeof globalThis.crypto?.getRandomValues !== 'function') throw new EntropyError();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const key = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  save(KEY, key);
  return key;
}

// ---- exact decimal sums ----------------------------------------------------------------------
// ε and δ are added as decimals, not doubles, so the ledger says 0.3 for 0.1 + 0.2 and never a
// total below what was spent. A value is the shortest decimal of a double ("0.5", "1e-7").
function parseDecimal(text) {
  const m = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(String(text));
  if (!m) return null;
  const frac = m[2] ?? '';
  const digits = BigInt(`${m[1] || '0'}${frac}`);
  const scale = frac.length - Number(m[3] ?? 0); // value = digits · 10^-scale
  return scale >= 0 ? { digits, scale } : { digits: digits * 10n ** BigInt(-scale), scale: 0 };
}

function formatDecimal({ digits, scale }) {
  const all = digits.toString();
  if (digits !== 0n && scale - all.length >= 3) { // below 1e-3: 2e-6 rather than 0.000002
    const m = all.replace(/0+$/, '');
    return `${m[0]}${m.length > 1 ? `.${m.slice(1)}` : ''}e${all.length - 1 - scale}`;
  }
  let text = digits.toString().padStart(scale + 1, '0');
  if (scale > 0) text = `${text.slice(0, -scale)}.${text.slice(-scale)}`.replace(/\.?0+$/, '');
  return text;
}

export function sumDecimals(values) {
  let total = { digits: 0n, scale: 0 };
  for (const v of values) {
    const d = parseDecimal(v);
    if (!d) continue;
    const scale = Math.max(total.scale, d.scale);
    total = {
      digits: total.digits * 10n ** BigInt(scale - total.scale) + d.digits * 10n ** BigInt(scale - d.scale),
      scale,
    };
  }
  return formatDecimal(total);
}

// A budget as the text a reader sees: the shortest decimal of the double, with an exponent for
// tiny values (1e-6 rather than 0.000001).
export function budgetText(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value);
  const plain = String(value);
  if (value !== 0 && Math.abs(value) < 1e-3 && !/e/.test(plain)) return value.toExponential().replace(/e\+?/, 'e');
  return plain;
}

// ---- datasets, keys, the cache and the ledger -------------------------------------------------
// One dataset per file as the browser describes it; shown by its name.
export function datasetOf(file) {
  return { id: JSON.stringify([file.name, file.size, file.lastModified]), name: file.name };
}

// The cache key: the fingerprint covers the data, the arms, the metrics with their kinds and
// bounds, the resolution and the unit column; the rest of the public parameters are added here
// as the core echoed them (so "1" and "1.0" are the same ε).
function releaseKey(fingerprint, privacy) {
  return `${fingerprint}|${JSON.stringify([privacy.epsilon_requested, privacy.delta ?? null,
    privacy.interval, privacy.confidence, privacy.control])}`;
}

// Returns the release to show for a fresh one from the worker: the earlier release with the same
// key, unchanged, or this one, which is then stored and charged to the dataset's ledger.
// {text, cached: boolean, at: ISO time of the release shown}
export function settle({ fingerprint, text, result, file }) {
  if (!/^[0-9a-f]{64}$/.test(fingerprint ?? '')) throw new Error('a private release came without its fingerprint');
  const privacy = result.privacy;
  const key = releaseKey(fingerprint, privacy);
  const releases = load(RELEASES, {});
  const earlier = releases[key];
  if (earlier && typeof earlier.text === 'string') return { text: earlier.text, cached: true, at: earlier.at };

  const at = new Date().toISOString();
  const dataset = datasetOf(file);
  releases[key] = { text, at, dataset: dataset.id };
  save(RELEASES, releases);

  const ledger = load(LEDGER, []);
  let entry = ledger.find((d) => d.id === dataset.id);
  if (!entry) {
    entry = { id: dataset.id, name: dataset.name, releases: [] };
    ledger.push(entry);
  }
  entry.releases.push({
    epsilon: budgetText(privacy.epsilon_requested),
    delta: privacy.delta === null || privacy.delta === undefined ? null : budgetText(privacy.delta),
    at,
  });
  save(LEDGER, ledger);
  return { text, cached: false, at };
}

// The ledger as the page shows it: [{id, name, count, epsilon, delta, releases: [{epsilon,
// delta, at}]}], with the sums as exact decimal text (delta null when no release used one).
export function ledgerEntries() {
  return load(LEDGER, []).map((d) => {
    const deltas = d.releases.map((r) => r.delta).filter((v) => v !== null);
    return {
      id: d.id,
      name: d.name,
      count: d.releases.length,
      epsilon: sumDecimals(d.releases.map((r) => r.epsilon)),
      delta: deltas.length ? sumDecimals(deltas) : null,
      releases: d.releases,
    };
  });
}
