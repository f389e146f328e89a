import { h, s } from './dom';

/**
 * Hand-drawn SVG charts. Presentation is attributes (`x`, `width`, `points`…) and classes styled by
 * styles.css: the page's Content-Security-Policy refuses `style` attributes, on SVG as on HTML.
 */

export interface Segment {
  label: string;
  value: number;
  /** A class of styles.css: seg-busy, seg-idle, seg-free, seg-wait, seg-done, seg-same, seg-fail, seg-pending. */
  cls: string;
}

const BAR_W = 400;
const BAR_H = 20;

/**
 * A horizontal bar of segments laid end to end on a scale of `scale` units, with an optional marker (e.g. the
 * connection budget) and a legend of each segment's value.
 */
export function stackedBar(
  segments: Segment[],
  scale: number,
  options: { testid: string; title: string; marker?: { at: number; label: string } },
): HTMLElement {
  const unit = BAR_W / Math.max(scale, 1);
  let x = 0;
  const rects = segments
    .filter((seg) => seg.value > 0)
    .map((seg) => {
      const width = seg.value * unit;
      const rect = s(
        'rect',
        { x: x.toFixed(2), y: 0, width: width.toFixed(2), height: BAR_H, class: seg.cls },
        s('title', {}, `${seg.label}: ${seg.value}`),
      );
      x += width;
      return rect;
    });
  const marker = options.marker
    ? s(
        'line',
        {
          x1: (options.marker.at * unit).toFixed(2),
          x2: (options.marker.at * unit).toFixed(2),
          y1: 0,
          y2: BAR_H,
          class: 'marker',
        },
        s('title', {}, options.marker.label),
      )
    : null;
  const svg = s(
    'svg',
    {
      class: 'bar',
      viewBox: `0 0 ${BAR_W} ${BAR_H}`,
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': options.title,
    },
    s('rect', { x: 0, y: 0, width: BAR_W, height: BAR_H, class: 'bar-track' }),
    ...rects,
    marker,
  );
  return h(
    'figure',
    { class: 'bar-figure', 'data-testid': options.testid },
    svg,
    h(
      'figcaption',
      { class: 'legend' },
      ...segments.map((seg) =>
        h(
          'span',
          { class: 'legend-item', 'data-testid': `${options.testid}-${seg.cls}` },
          h('span', { class: `swatch ${seg.cls}` }),
          `${seg.label} ${seg.value}`,
        ),
      ),
      options.marker
        ? h('span', { class: 'legend-item' }, h('span', { class: 'swatch marker' }), options.marker.label)
        : null,
    ),
  );
}

export interface Series {
  name: string;
  /** line-a, line-b, bars: a class of styles.css. */
  cls: string;
  values: (number | null)[];
}

const W = 600;
const H = 180;
const PAD = { left: 52, right: 10, top: 12, bottom: 24 };

/** 1, 2, 5 × 10^n at or above the largest value, so the axis reads in round numbers. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].find((m) => m * power >= max) ?? 10) * power;
}

const hhmm = (d: Date) =>
  `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

function frame(slots: Date[], top: number, unit: string): SVGElement[] {
  const plotH = H - PAD.top - PAD.bottom;
  const grid = [0, 0.5, 1].map((f) => {
    const y = PAD.top + plotH * (1 - f);
    return s(
      'g',
      {},
      s('line', { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: 'grid' }),
      s(
        'text',
        { x: PAD.left - 6, y: y + 4, 'text-anchor': 'end', class: 'axis' },
        `${+(top * f).toFixed(2)}${unit}`,
      ),
    );
  });
  const plotW = W - PAD.left - PAD.right;
  const ticks = [0, Math.floor((slots.length - 1) / 2), slots.length - 1].map((i) =>
    s(
      'text',
      {
        x: PAD.left + (plotW * i) / Math.max(slots.length - 1, 1),
        y: H - 6,
        'text-anchor': i === 0 ? 'start' : i === slots.length - 1 ? 'end' : 'middle',
        class: 'axis',
      },
      slots[i] ? hhmm(slots[i]) : '',
    ),
  );
  return [...grid, ...ticks];
}

function chartSvg(title: string, children: SVGElement[]): SVGSVGElement {
  return s(
    'svg',
    { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title },
    s('title', {}, title),
    ...children,
  );
}

/** Minute slots on x, one bar per slot (for counts: requests, waits). */
export function barChart(title: string, slots: Date[], series: Series, unit = ''): SVGSVGElement {
  const top = niceMax(Math.max(0, ...series.values.map((v) => v ?? 0)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(slots.length, 1);
  const bars = series.values.flatMap((v, i) => {
    if (!v) return [];
    const height = (v / top) * plotH;
    return [
      s(
        'rect',
        {
          x: (PAD.left + i * step + step * 0.1).toFixed(2),
          y: (PAD.top + plotH - height).toFixed(2),
          width: (step * 0.8).toFixed(2),
          height: height.toFixed(2),
          class: series.cls,
        },
        s('title', {}, `${hhmm(slots[i])} ${series.name}: ${v}${unit}`),
      ),
    ];
  });
  return chartSvg(title, [...frame(slots, top, unit), ...bars]);
}

/** Minute slots on x, one line per series; a gap where a minute has no value. */
export function lineChart(title: string, slots: Date[], series: Series[], unit = ''): SVGSVGElement {
  const all = series.flatMap((line) => line.values.filter((v): v is number => v !== null));
  const top = niceMax(Math.max(0, ...all));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const xOf = (i: number) => PAD.left + (plotW * i) / Math.max(slots.length - 1, 1);
  const yOf = (v: number) => PAD.top + plotH * (1 - v / top);
  const drawn = series.flatMap((line) => {
    const runs: string[][] = [[]];
    const dots: SVGElement[] = [];
    line.values.forEach((v, i) => {
      if (v === null) {
        if (runs[runs.length - 1].length) runs.push([]);
        return;
      }
      runs[runs.length - 1].push(`${xOf(i).toFixed(1)},${yOf(v).toFixed(1)}`);
      dots.push(
        s(
          'circle',
          { cx: xOf(i).toFixed(1), cy: yOf(v).toFixed(1), r: 2.5, class: `dot ${line.cls}` },
          s('title', {}, `${hhmm(slots[i])} ${line.name}: ${v}${unit}`),
        ),
      );
    });
    const lines = runs
      .filter((run) => run.length > 1)
      .map((run) => s('polyline', { points: run.join(' '), class: `line ${line.cls}` }));
    return [...lines, ...dots];
  });
  return chartSvg(title, [...frame(slots, top, unit), ...drawn]);
}

/** A chart with its heading and legend. */
export function chartCard(
  title: string,
  testid: string,
  chart: SVGSVGElement,
  legend: Series[],
): HTMLElement {
  return h(
    'section',
    { class: 'card chart-card', 'data-testid': testid },
    h('h3', {}, title),
    chart,
    h(
      'div',
      { class: 'legend' },
      ...legend.map((line) =>
        h('span', { class: 'legend-item' }, h('span', { class: `swatch ${line.cls}` }), line.name),
      ),
    ),
  );
}
