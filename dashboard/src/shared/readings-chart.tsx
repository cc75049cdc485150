import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * One metric over time (uPlot: small, and fast with a week of raw readings), shared by the desk's
 * object card and the wall's focus panel: both pages once carried their own copy of this component.
 * The chart is a picture for the eye; each page says the same figures in words beside it (count,
 * min, max, latest) for screen readers and for those who cannot tell the lines apart.
 */
export interface ChartSeries {
  metric: string;
  /** Seconds since the epoch (uPlot's time axis). */
  times: number[];
  values: number[];
  /** Bucketed series: each bucket's low and high, drawn as a band around the average. */
  min?: (number | null)[];
  max?: (number | null)[];
}

/** Per-page look: the wall is read from across the room (bigger type, height follows width), the desk up close. */
const LOOKS = {
  desk: { minWidth: 280, fallbackWidth: 480, axis: '#9aa7b4', font: undefined, ySize: undefined, pointsBelow: 60 },
  wall: { minWidth: 240, fallbackWidth: 400, axis: '#c8d1da', font: '14px system-ui', ySize: 60, pointsBelow: 50 },
} as const;

export function ReadingsChart({
  series,
  label,
  look,
  range,
  legend = false,
  testId,
}: {
  series: ChartSeries;
  label: string;
  look: keyof typeof LOOKS;
  /** A fixed x range in seconds (the window asked for), so one point does not stretch the axis over years. */
  range?: [number, number];
  legend?: boolean;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const l = LOOKS[look];
    const height = () =>
      look === 'wall' ? Math.max(140, Math.min(260, Math.round((el.clientWidth || l.fallbackWidth) * 0.45))) : 220;
    const banded = series.min !== undefined && series.max !== undefined;
    const data: uPlot.AlignedData = banded
      ? [series.times, series.values, series.min ?? [], series.max ?? []]
      : [series.times, series.values];
    const line = {
      label: series.metric,
      stroke: '#56b4e9',
      width: 2,
      points: { show: series.times.length < l.pointsBelow },
    };
    const edge = { stroke: 'rgba(230,159,0,0.8)', width: 1, dash: [4, 4] };
    const axis = { stroke: l.axis, grid: { stroke: '#2d3744' }, ...(l.font ? { font: l.font } : {}) };
    const chart = new uPlot(
      {
        width: Math.max(l.minWidth, el.clientWidth || l.fallbackWidth),
        height: height(),
        series: banded ? [{}, line, { ...edge, label: 'min' }, { ...edge, label: 'max' }] : [{}, line],
        axes: [axis, { ...axis, ...(l.ySize ? { size: l.ySize } : {}) }],
        ...(range ? { scales: { x: { time: true, range: () => range } } } : {}),
        legend: { show: legend },
        ...(look === 'wall' ? { cursor: { drag: { x: false, y: false } } } : {}),
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(l.minWidth, el.clientWidth), height: height() }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [series.times, series.values, series.min, series.max, series.metric, look, legend, range?.[0], range?.[1]]);
  return <div class="readings-chart" ref={box} role="img" aria-label={label} data-testid={testId} />;
}
