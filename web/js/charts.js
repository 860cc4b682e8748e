// charts.js — owns the Chart.js objects (the global `Chart` from vendor/chart.umd.min.js): one
// bar chart per metric of the arm means, with the core's interval for each arm (ci_low/ci_high:
// t for a mean, Wilson score for a rate) drawn as error bars by a small plugin. Old charts are
// destroyed before new ones are drawn. The private release has charts of its own, titled with
// its ε, and their PNG export.

const CONTROL_COLOR = '#6b7280';
const TREATMENT_COLORS = ['#1d4ed8', '#c2410c', '#047857', '#7e22ce', '#b45309', '#be123c'];
const BAR_ALPHA = 'cc';

let charts = [];

// Draws a vertical line with caps from ci_low to ci_high over each bar.
const errorBars = {
  id: 'causewayErrorBars',
  afterDatasetsDraw(chart, _args, options) {
    const intervals = options.intervals ?? [];
    const { ctx, scales: { y } } = chart;
    const meta = chart.getDatasetMeta(0);
    ctx.save();
    ctx.strokeStyle = options.color ?? '#111827';
    ctx.lineWidth = 1.5;
    meta.data.forEach((bar, i) => {
      const ci = intervals[i];
      if (!ci || !Number.isFinite(ci.low) || !Number.isFinite(ci.high)) return;
      const x = bar.x;
      const top = y.getPixelForValue(ci.high);
      const bottom = y.getPixelForValue(ci.low);
      const cap = Math.min(10, (bar.width ?? 20) / 4);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.moveTo(x - cap, top);
      ctx.lineTo(x + cap, top);
      ctx.moveTo(x - cap, bottom);
      ctx.lineTo(x + cap, bottom);
      ctx.stroke();
    });
    ctx.restore();
  },
};

function finite(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function destroyCharts() {
  for (const chart of charts) chart.destroy();
  charts = [];
}

// specs: [{canvas, metric, kind, confidence, arms: [{name, control, mean, ci_low, ci_high, interval}]}]
export function renderCharts(specs) {
  destroyCharts();
  const { Chart } = globalThis;
  if (!Chart) return; // the chart script did not load; the tables still carry every number
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#374151';

  for (const spec of specs) {
    const binary = spec.kind === 'binary';
    const scale = binary ? 100 : 1; // rates drawn in percent, like the tables
    const means = spec.arms.map((arm) => (finite(arm.mean) === null ? null : arm.mean * scale));
    const intervals = spec.arms.map((arm) => ({
      low: finite(arm.ci_low) === null ? null : arm.ci_low * scale,
      high: finite(arm.ci_high) === null ? null : arm.ci_high * scale,
    }));
    charts.push(armBars(Chart, spec.canvas, spec.arms, {
      labels: spec.arms.map((arm) => [arm.name, arm.control ? '(control)' : '(treatment)']),
      label: binary ? `${spec.metric} rate (%)` : `mean ${spec.metric}`,
      yTitle: binary ? `${spec.metric} (%)` : `mean ${spec.metric}`,
      means,
      intervals,
      minPad: 0,
      ciText: (i, ci) => {
        const level = `${Number((spec.confidence * 100).toPrecision(6))}%`;
        const name = { t: 't', wilson: 'Wilson' }[spec.arms[i].interval] ?? '';
        return `${level} ${name ? `${name} ` : ''}CI: ${ci.low.toPrecision(4)} to ${ci.high.toPrecision(4)}`;
      },
    }));
  }
}

// One bar per arm (control grey, treatments in turn) with its interval drawn as an error bar: the
// shape shared by the results' charts and the private release's. o: {labels, label, yTitle,
// means, intervals, minPad, ciText(index, ci), title?}
function armBars(Chart, canvas, arms, o) {
  let treatment = 0;
  const colors = arms.map((arm) => (arm.control
    ? CONTROL_COLOR
    : TREATMENT_COLORS[treatment++ % TREATMENT_COLORS.length]));
  const ends = o.intervals.flatMap((ci) => [ci.low, ci.high]).concat(o.means).filter((v) => v !== null);
  const hi = Math.max(0, ...ends);
  const lo = Math.min(0, ...ends);
  const pad = (hi - lo) * 0.05 || o.minPad;
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: o.labels,
      datasets: [{
        label: o.label,
        data: o.means,
        backgroundColor: colors.map((c) => c + BAR_ALPHA),
        borderColor: colors,
        borderWidth: 1,
        maxBarThickness: 72,
      }],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        y: { suggestedMin: lo < 0 ? lo - pad : 0, suggestedMax: hi + pad, title: { display: true, text: o.yTitle } },
        x: { grid: { display: false }, ticks: { autoSkip: false } },
      },
      plugins: {
        ...(o.title ? { title: { display: true, text: o.title, font: { size: 13 } } } : {}),
        legend: { display: false },
        tooltip: {
          callbacks: {
            afterLabel: (item) => {
              const ci = o.intervals[item.dataIndex];
              return ci.low === null || ci.high === null ? '' : o.ciText(item.dataIndex, ci);
            },
          },
        },
        causewayErrorBars: { intervals: o.intervals },
      },
    },
    plugins: [errorBars],
  });
}

// ---- difference in differences (didview.js's specs) ------------------------------------------
let didCharts = [];

// A dashed vertical line halfway between the last pre-period and options.index (the first treated
// period) on the category x axis.
const startLine = {
  id: 'causewayStartLine',
  afterDatasetsDraw(chart, _args, options) {
    const i = options.index;
    if (!Number.isInteger(i) || i < 0) return;
    const { ctx, chartArea, scales: { x } } = chart;
    const at = i > 0 ? (x.getPixelForValue(i - 1) + x.getPixelForValue(i)) / 2 : x.getPixelForValue(i);
    ctx.save();
    ctx.strokeStyle = options.color ?? '#b91c1c';
    ctx.lineWidth = 1.5;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    ctx.moveTo(at, chartArea.top);
    ctx.lineTo(at, chartArea.bottom);
    ctx.stroke();
    if (options.label) {
      ctx.setLineDash([]);
      ctx.fillStyle = options.color ?? '#b91c1c';
      ctx.font = `12px ${Chart.defaults.font.family}`;
      ctx.fillText(options.label, at + 4, chartArea.top + 12);
    }
    ctx.restore();
  },
};

// A horizontal line at y = 0.
const zeroLine = {
  id: 'causewayZeroLine',
  beforeDatasetsDraw(chart) {
    const { ctx, chartArea, scales: { y } } = chart;
    const at = y.getPixelForValue(0);
    if (!(at >= chartArea.top && at <= chartArea.bottom)) return;
    ctx.save();
    ctx.strokeStyle = '#6b7280';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(chartArea.left, at);
    ctx.lineTo(chartArea.right, at);
    ctx.stroke();
    ctx.restore();
  },
};

export function destroyDidCharts() {
  for (const chart of didCharts) chart.destroy();
  didCharts = [];
}

// spec: {means: {canvas, periods, cells, start, outcome}, events: null | {canvas, periods,
// reference, events, se, start}}
export function renderDidCharts(spec) {
  destroyDidCharts();
  const { Chart } = globalThis;
  if (!Chart || !spec) return;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#374151';
  const m = spec.means;
  const series = (treated) => m.periods.map((p) => finite(m.cells.find((c) => c.treated === treated && c.period === p)?.mean));
  didCharts.push(new Chart(m.canvas, {
    type: 'line',
    data: {
      labels: m.periods,
      datasets: [
        { label: 'Treated', data: series(true), borderColor: TREATMENT_COLORS[0], backgroundColor: TREATMENT_COLORS[0], tension: 0 },
        { label: 'Control', data: series(false), borderColor: CONTROL_COLOR, backgroundColor: CONTROL_COLOR, borderDash: [4, 3], tension: 0 },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { title: { display: true, text: `mean ${m.outcome}` } }, x: { offset: true, title: { display: true, text: 'period' } } },
      plugins: { causewayStartLine: { index: m.periods.indexOf(m.start), label: 'treatment' } },
    },
    plugins: [startLine],
  }));

  const e = spec.events;
  if (!e) return;
  // The reference period is 0 by construction (no interval).
  const byPeriod = new Map(e.events.map((ev) => [ev.period, ev]));
  const values = e.periods.map((p) => (p === e.reference ? 0 : finite(byPeriod.get(p)?.estimate)));
  const intervals = e.periods.map((p) => {
    const b = byPeriod.get(p)?.[e.se];
    return { low: finite(b?.ci_low), high: finite(b?.ci_high) };
  });
  const ends = intervals.flatMap((ci) => [ci.low, ci.high]).concat(values).filter((v) => v !== null);
  const hi = Math.max(0, ...ends);
  const lo = Math.min(0, ...ends);
  const pad = (hi - lo) * 0.05;
  didCharts.push(new Chart(e.canvas, {
    type: 'line',
    data: {
      labels: e.periods,
      datasets: [{ label: 'effect', data: values, showLine: false, pointRadius: 4,
        borderColor: TREATMENT_COLORS[0], backgroundColor: TREATMENT_COLORS[0] }],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { suggestedMin: lo - pad, suggestedMax: hi + pad, title: { display: true, text: 'effect' } },
        x: { offset: true, title: { display: true, text: 'period' } } },
      plugins: {
        legend: { display: false },
        causewayErrorBars: { intervals },
        causewayStartLine: { index: e.periods.indexOf(e.start) },
      },
    },
    plugins: [zeroLine, errorBars, startLine],
  }));
}

// ---- private releases (privateview.js's specs) ------------------------------------------------
// One bar chart per metric of the noisy rates or means with their noise-aware intervals, titled
// with the release's label ("Differentially private (ε = 1)"); a suppressed arm has no bar.
let privateCharts = [];

export function destroyPrivateCharts() {
  for (const chart of privateCharts) chart.destroy();
  privateCharts = [];
}

// specs: [{canvas, metric, kind, label, confidence, interval, arms: [{name, control, mean, ci_low,
// ci_high, suppressed}]}]
export function renderPrivateCharts(specs) {
  destroyPrivateCharts();
  const { Chart } = globalThis;
  if (!Chart) return; // the tables still carry every number
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#374151';
  for (const spec of specs) {
    const binary = spec.kind === 'binary';
    const scale = binary ? 100 : 1;
    const shown = (arm, v) => (arm.suppressed || finite(v) === null ? null : v * scale);
    const what = binary ? `${spec.metric} rate (%)` : `mean ${spec.metric}`;
    privateCharts.push(armBars(Chart, spec.canvas, spec.arms, {
      labels: spec.arms.map((arm) => [arm.name, arm.suppressed ? '(insufficient data)' : (arm.control ? '(control)' : '(treatment)')]),
      label: what,
      yTitle: what,
      means: spec.arms.map((arm) => shown(arm, arm.mean)),
      intervals: spec.arms.map((arm) => ({ low: shown(arm, arm.ci_low), high: shown(arm, arm.ci_high) })),
      minPad: 1,
      title: [`${what} by arm`, spec.label],
      ciText: (_i, ci) => {
        const level = `${Number((spec.confidence * 100).toPrecision(6))}%`;
        return `${level} ${spec.interval} interval (noise included): ${ci.low.toPrecision(4)} to ${ci.high.toPrecision(4)}`;
      },
    }));
  }
}

// ---- PNG export ------------------------------------------------------------------------------------
let crcTable = null;

function crc32(bytes) {
  crcTable ??= Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// The PNG with an uncompressed UTF-8 text chunk (iTXt) after its header chunk, so the label
// travels with the file even where the picture is cropped.
async function withPngText(blob, keyword, value) {
  const png = new Uint8Array(await blob.arrayBuffer());
  const enc = new TextEncoder();
  const key = enc.encode(keyword);
  const body = enc.encode(value);
  // keyword, NUL, compression flag 0, method 0, empty language tag + NUL, empty translated keyword + NUL
  const data = new Uint8Array(key.length + 5 + body.length);
  data.set(key, 0);
  data.set(body, key.length + 5);
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(enc.encode('iTXt'), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  const ihdrEnd = 8 + 12 + new DataView(png.buffer).getUint32(8); // signature, then IHDR
  return new Blob([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)], { type: 'image/png' });
}

// The index-th private chart as a PNG (a Blob): the chart (its title carries the label) on white,
// with the caption lines under it, and `description` in the file's text chunk.
export async function privateChartPng(index, { caption = [], description = '' } = {}) {
  const chart = privateCharts[index];
  if (!chart) throw new Error('there is no chart to export');
  const src = chart.canvas;
  const ratio = src.width / (src.clientWidth || src.width);
  const pad = Math.round(12 * ratio);
  const line = Math.round(18 * ratio);
  const out = document.createElement('canvas');
  out.width = src.width + 2 * pad;
  out.height = src.height + 2 * pad + line * caption.length;
  const ctx = out.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(src, pad, pad);
  ctx.fillStyle = '#374151';
  ctx.font = `${Math.round(12 * ratio)}px ${Chart.defaults.font.family}`;
  ctx.textBaseline = 'top';
  caption.forEach((text, i) => ctx.fillText(text, pad, src.height + pad + i * line + Math.round(4 * ratio)));
  const blob = await new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))), 'image/png'));
  return withPngText(blob, 'Description', description);
}
