// browser.js — the browser half of the benchmark, in Debian's headless Chromium (never a
// downloaded browser): (i) a read-only worker, (ii) the page's worker through client.js with the
// benchmark's options, (iii) the core alone in a worker on the file in memory, (iv) the real page
// (web/index.html) end to end, the file chosen with setInputFiles each time; and (v) read-only
// again with all of Chromium pinned to one core (taskset), which bounds the reading's CPU time.
// Memory is the resident size of Chromium's whole process tree, sampled from /proc while each
// pass runs (the worker's heap is not visible to the page); CPU time is that tree's, and its
// dedicated-worker threads', from /proc too.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename } from 'node:path';
import { chromium } from 'playwright-core';
import { startBenchServer } from './server.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const RSS_SAMPLE_MS = 25;
const TIMEOUT_MS = 120_000;
const PAGE_SIZE = 4096;

// ---- memory and CPU time of every process below this one (Chromium and its children) ---------
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;

// The stat file of a process or thread (/proc/PID or /proc/PID/task/TID): {comm, fields}, the
// fields after the command name: [state, ppid, …, utime (11), stime (12), …]; null if it is gone.
function statAt(dir) {
  try {
    const stat = readFileSync(`${dir}/stat`, 'utf8');
    return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      fields: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
  } catch {
    return null;
  }
}

function cpuSecondsAt(dir) {
  const f = statAt(dir)?.fields;
  return f ? (Number(f[11]) + Number(f[12])) / CLOCK_TICKS : 0;
}

function parentOf(pid) {
  return Number(statAt(`/proc/${pid}`)?.fields[1] ?? -1);
}

function cpuSecondsOf(pid) {
  return cpuSecondsAt(`/proc/${pid}`);
}

// CPU seconds of every dedicated-worker thread (Chromium names them "DedicatedWorker") below
// this process, by thread: the thread that both reads the File and runs the core in the page's
// worker.
function workerThreads() {
  const threads = new Map();
  for (const pid of descendantPids()) {
    let tids;
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const dir = `/proc/${pid}/task/${tid}`;
      if (statAt(dir)?.comm.startsWith('DedicatedWorker')) threads.set(`${pid}/${tid}`, cpuSecondsAt(dir));
    }
  }
  return threads;
}

// The CPU seconds that worker threads spent between two workerThreads() readings: a thread that
// ended in between (a worker just terminated) is left out, one that started counts whole.
function workerCpuBetween(before, after) {
  let total = 0;
  for (const [thread, seconds] of after) total += seconds - (before.get(thread) ?? 0);
  return total;
}

// Every thread of every Chromium process on the CPUs `list` (taskset's syntax, e.g. "0" or
// "0-1"); false when taskset is missing. Threads started later inherit their creator's set.
function pinChromium(list) {
  try {
    for (const pid of descendantPids()) execFileSync('taskset', ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function rssOf(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE;
  } catch {
    return 0;
  }
}

// Every process below root (Chromium and its children), from /proc's parent links.
function descendantPids(root = process.pid) {
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const children = new Map();
  for (const pid of pids) {
    const ppid = parentOf(pid);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const out = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop();
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

// The sum of measure(pid) over every process below root.
function overDescendants(measure, root = process.pid) {
  return descendantPids(root).reduce((total, pid) => total + measure(pid), 0);
}

export function descendantsRss(root = process.pid) {
  return overDescendants(rssOf, root);
}

// Run `work` while sampling the tree's RSS; returns {value, rssBase, rssPeak, cpuSeconds,
// workerCpuSeconds}: the CPU seconds (user + system, counted in clock ticks) that Chromium's
// processes, and their dedicated-worker threads, spent during it.
async function sampled(work) {
  const rssBase = descendantsRss();
  const cpuBase = overDescendants(cpuSecondsOf);
  const workerBase = workerThreads();
  let rssPeak = rssBase;
  const timer = setInterval(() => { rssPeak = Math.max(rssPeak, descendantsRss()); }, RSS_SAMPLE_MS);
  try {
    const value = await work();
    return { value, rssBase, rssPeak: Math.max(rssPeak, descendantsRss()),
      cpuSeconds: overDescendants(cpuSecondsOf) - cpuBase,
      workerCpuSeconds: workerCpuBetween(workerBase, workerThreads()) };
  } finally {
    clearInterval(timer);
  }
}

// ---- the benchmark page: read-only worker and the page's worker -----------------------------
async function openBenchPage(context, url, path) {
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${url}bench/browser/bench.html`);
  await page.waitForFunction(() => window.benchReady === true);
  await page.setInputFiles('#file', path);
  return { page, problems };
}

function watch(page) {
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  return problems;
}

function progressRate(progress, ms) {
  return progress.length / (ms / 1000);
}

async function readOnly(page, how = {}) {
  const { value, rssBase, rssPeak, cpuSeconds, workerCpuSeconds } = await sampled(() => page.evaluate((h) => window.bench.read(h), how));
  if (value.bytes !== value.size) throw new Error(`read-only worker read ${value.bytes} of ${value.size} bytes`);
  return { seconds: value.ms / 1000, bytes: value.size, rssBase, rssPeak, cpuSeconds, workerCpuSeconds,
    mainHeapGrowth: value.mainHeapPeak - value.mainHeapStart };
}

async function coreAlone(page, options) {
  const { value, rssBase, rssPeak, cpuSeconds, workerCpuSeconds } = await sampled(() => page.evaluate((o) => window.bench.core(o), options));
  return { seconds: value.ms / 1000, bytes: value.size, rssBase, rssPeak, cpuSeconds, workerCpuSeconds, result: value.result };
}

async function coreReading(page, options) {
  const { value, rssBase, rssPeak, cpuSeconds, workerCpuSeconds } = await sampled(() => page.evaluate((o) => window.bench.coreReading(o), options));
  return { seconds: value.ms / 1000, feedSeconds: value.feedMs / 1000, bytes: value.size, rssBase, rssPeak, cpuSeconds,
    workerCpuSeconds, result: value.result };
}

async function pageWorker(page, options) {
  const { value, rssBase, rssPeak, cpuSeconds, workerCpuSeconds } = await sampled(() => page.evaluate((o) => window.bench.analyze(o), options));
  return {
    seconds: value.ms / 1000,
    bytes: value.size,
    rssBase,
    rssPeak,
    cpuSeconds,
    workerCpuSeconds,
    mainHeapGrowth: value.mainHeapPeak - value.mainHeapStart,
    progressEvents: value.progress.length,
    progressPerSecond: progressRate(value.progress, value.ms),
    result: value.result,
  };
}

// ---- the real page: index.html, the file chosen in #file-input ------------------------------
// An init script wraps Worker so the page's own messages can be timed without touching web/:
// it records when each request is posted, its progress replies, and its final reply.
function spyOnWorker() {
  const Native = window.Worker;
  const runs = [];
  window.__bench = { runs, changedAt: 0, doneAt: 0 };
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      const pending = new Map();
      this.__pending = pending;
      this.addEventListener('message', ({ data }) => {
        const run = pending.get(data?.id);
        if (!run) return;
        if (data.progress) {
          run.progress += 1;
          return;
        }
        pending.delete(data.id);
        run.end = performance.now();
        run.ok = data.ok;
        run.result = data.ok && run.op === 'analyze' ? data.result.result : null;
        run.error = data.ok ? null : data.error;
        runs.push(run);
      });
    }

    postMessage(message, ...rest) {
      if (message?.id) this.__pending.set(message.id, { op: message.op, start: performance.now(), progress: 0 });
      return super.postMessage(message, ...rest);
    }
  };
  document.addEventListener('change', () => { window.__bench.changedAt = performance.now(); }, true);
  new MutationObserver(() => {
    if (document.body?.dataset.state === 'done') window.__bench.doneAt = performance.now();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-state'] });
}

async function realPage(context, url, path) {
  const page = await context.newPage();
  const problems = watch(page);
  await page.addInitScript(spyOnWorker);
  await page.goto(`${url}web/index.html`);
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: TIMEOUT_MS });
  const name = basename(path);
  const { value, rssBase, rssPeak } = await sampled(async () => {
    await page.evaluate(() => { window.__bench.runs.length = 0; window.__bench.doneAt = 0; });
    await page.setInputFiles('#file-input', path);
    await page.waitForFunction((n) => ['done', 'confirm', 'error'].includes(document.body.dataset.state)
      && window.__bench.runs.some((r) => r.op === 'preview'), name, { timeout: TIMEOUT_MS });
    if (await page.evaluate(() => document.body.dataset.state === 'confirm')) await page.click('#analyze-button');
    await page.waitForFunction(() => window.__bench.runs.some((r) => r.op === 'analyze')
      && (window.__bench.doneAt > 0 || document.body.dataset.state === 'error'), null, { timeout: TIMEOUT_MS });
    return page.evaluate(() => ({ ...window.__bench, state: document.body.dataset.state }));
  });
  await page.close();
  const run = value.runs.find((r) => r.op === 'analyze');
  if (!run?.ok) throw new Error(`the page did not analyse ${name}: ${JSON.stringify(run?.error ?? value.state)}`);
  const analyzeMs = run.end - run.start;
  return {
    seconds: analyzeMs / 1000,
    endToEndSeconds: (value.doneAt - value.changedAt) / 1000,
    rssBase,
    rssPeak,
    progressEvents: run.progress,
    progressPerSecond: run.progress / (analyzeMs / 1000),
    metrics: run.result.options.metrics.map((m) => m.name),
    result: run.result,
    problems,
  };
}

// ---- one browser for all files --------------------------------------------------------------
function best(runs) {
  return runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
}

// For each file: read-only and page-worker passes alternate `reps` times (best time kept, peak
// memory over all passes); read-only passes again with all of Chromium on one core (what the
// reading costs in CPU at least); the core alone on the file in memory; then one pass of the
// real page.
export async function runBrowser(files, { options, reps, log = () => {} }) {
  const { server, url } = await startBenchServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const out = [];
  try {
    for (const { path, label } of files) {
      const context = await browser.newContext();
      const { page, problems } = await openBenchPage(context, url, path);
      const reads = [];
      const halvesReads = [];
      const analyses = [];
      for (let i = 0; i < reps(label); i += 1) {
        log(`  chromium ${label}: read-only pass ${i + 1}`);
        reads.push(await readOnly(page));
        log(`  chromium ${label}: read-only pass ${i + 1}, two workers reading a half each`);
        halvesReads.push(await readOnly(page, { halves: true }));
        log(`  chromium ${label}: page-worker pass ${i + 1}`);
        analyses.push(await pageWorker(page, options));
      }
      // Pinned to one core, Chromium's reading cannot spread over the machine: its wall time is
      // an upper bound on the CPU time the reading needs (bench/run.js's ceiling line).
      const pinnedReads = [];
      if (pinChromium('0')) {
        try {
          for (let i = 0; i < reps(label); i += 1) {
            log(`  chromium ${label}: read-only pass ${i + 1}, on one core`);
            pinnedReads.push(await readOnly(page));
          }
        } finally {
          pinChromium(`0-${cpus().length - 1}`);
        }
      }
      log(`  chromium ${label}: the core alone, the file in memory`);
      await page.evaluate(() => window.bench.loadCore());
      const cores = [];
      const coreReads = [];
      for (let i = 0; i < reps(label); i += 1) {
        cores.push(await coreAlone(page, options));
        log(`  chromium ${label}: the core reading the File itself, pass ${i + 1}`);
        coreReads.push(await coreReading(page, options));
      }
      await page.evaluate(() => window.bench.dropCore());
      // The page's reading with the worker's thread kept busy after each slice as long as the
      // core's best pass spends on it, by spinning: the page's CPU time on that thread, less
      // whatever the core itself does to the reading (caches, memory traffic).
      const busyMsPerByte = (best(cores).seconds * 1000) / best(cores).bytes;
      const busyReads = [];
      for (let i = 0; i < reps(label); i += 1) {
        log(`  chromium ${label}: read-only pass ${i + 1}, busy as long as the core after each slice`);
        busyReads.push(await readOnly(page, { busyMsPerByte }));
      }
      await page.close();
      log(`  chromium ${label}: web/index.html`);
      const real = await realPage(context, url, path);
      await context.close();
      const peak = (runs) => Math.max(...runs.map((r) => r.rssPeak - r.rssBase));
      // Chromium's CPU seconds per GB, and per second of the passes (the cores it kept busy), over
      // all passes: one pass is too short for the clock's ticks.
      const cpuPerGB = (runs) => runs.reduce((t, r) => t + r.cpuSeconds, 0) / (runs.reduce((t, r) => t + r.bytes, 0) / 1e9);
      const busy = (runs) => runs.reduce((t, r) => t + r.cpuSeconds, 0) / runs.reduce((t, r) => t + r.seconds, 0);
      // The share of the passes' time that the dedicated worker's thread was running.
      const workerBusy = (runs) => runs.reduce((t, r) => t + r.workerCpuSeconds, 0) / runs.reduce((t, r) => t + r.seconds, 0);
      const summary = (runs) => ({ ...best(runs), rssGrowth: peak(runs), runs: runs.map((r) => r.seconds),
        cpuPerGB: cpuPerGB(runs), coresBusy: busy(runs), workerBusy: workerBusy(runs) });
      out.push({
        label,
        read: summary(reads),
        readOneCore: pinnedReads.length > 0 ? summary(pinnedReads) : null,
        readHalves: summary(halvesReads),
        readBusy: summary(busyReads),
        coreReading: summary(coreReads),
        page: summary(analyses),
        core: summary(cores),
        real: { ...real, rssGrowth: real.rssPeak - real.rssBase },
        problems: [...problems, ...real.problems],
      });
    }
  } finally {
    await browser.close();
    await new Promise((done) => server.close(done));
  }
  return out;
}
