// charts.js — owns the Chart.js objects (the global `Chart` from vendor/chart.umd.min.js): one
// bar chart per metric of the arm means, with the core's interval for each arm (ci_low/ci_high:
// t for a mean, Wilson score for a rate) drawn as error bars by a small plugin. Old charts are
// destroyed before new ones are drawn.

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
    let treatment = 0;
    const colors = spec.arms.map((arm) => (arm.control
      ? CONTROL_COLOR
      : TREATMENT_COLORS[treatment++ % TREATMENT_COLORS.length]));
    const means = spec.arms.map((arm) => (finite(arm.mean) === null ? null : arm.mean * scale));
    const intervals = spec.arms.map((arm) => ({
      low: finite(arm.ci_low) === null ? null : arm.ci_low * scale,
      high: finite(arm.ci_high) === null ? null : arm.ci_high * scale,
    }));
    const ends = intervals.flatMap((ci) => [ci.low, ci.high]).concat(means).filter((v) => v !== null);
    const hi = Math.max(0, ...ends);
    const lo = Math.min(0, ...ends);
    const pad = (hi - lo) * 0.05;

    charts.push(new Chart(spec.canvas, {
      type: 'bar',
      data: {
        labels: spec.arms.map((arm) => [arm.name, arm.control ? '(control)' : '(treatment)']),
        datasets: [{
          label: binary ? `${spec.metric} rate (%)` : `mean ${spec.metric}`,
          data: means,
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
          y: {
            suggestedMin: lo < 0 ? lo - pad : 0,
            suggestedMax: hi + pad,
            title: { display: true, text: binary ? `${spec.metric} (%)` : `mean ${spec.metric}` },
          },
          x: { grid: { display: false }, ticks: { autoSkip: false } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              afterLabel: (item) => {
                const ci = intervals[item.dataIndex];
                if (ci.low === null || ci.high === null) return '';
                const level = `${Number((spec.confidence * 100).toPrecision(6))}%`;
                const name = { t: 't', wilson: 'Wilson' }[spec.arms[item.dataIndex].interval] ?? '';
                return `${level} ${name ? `${name} ` : ''}CI: ${ci.low.toPrecision(4)} to ${ci.high.toPrecision(4)}`;
              },
            },
          },
          causewayErrorBars: { intervals },
        },
      },
      plugins: [errorBars],
    }));
  }
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
