// fixtures.js — reads the R-generated TSV fixtures shared by the C, Node and page tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Rows of tests/fixtures/NAME as objects keyed by the header line (comments skipped).
export function readTsv(name) {
  const lines = readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#'));
  const header = lines.shift().split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [header[i], v])));
}

// |got - want| <= rel * |want|; the tolerance is chosen and explained by each caller.
export function relErr(got, want) {
  if (want === 0) return Math.abs(got);
  return Math.abs(got - want) / Math.abs(want);
}
