import { fill } from '../shared/i18n.ts';
import type { BaseMap } from './base-map.ts';
import { type LonLat, roundScaleM, toLocalMetres } from './geo.ts';
import type { ResidentStrings } from './strings.ts';

/**
 * "Where am I?"'s map: an SVG a few hundred metres across, north up, drawn from the twin's
 * own districts and streets - no WebGL, no tiles, no map library (the page must stay light
 * and work on any phone). It shows the estimated position, its accuracy circle, the objects
 * the resident named and the streets around, with a scale bar.
 */

export interface SmallMapProps {
  t: ResidentStrings;
  lat: number;
  lon: number;
  accuracyM: number;
  /** The objects the estimate rests on, where they are known. */
  objects: readonly { number: string; lat: number; lon: number }[];
  /** undefined while loading; null when there is none (drawn without streets). */
  base: BaseMap | null | undefined;
}

const WIDTH = 340;
const HEIGHT = 260;
/** The least the map shows around the position: a block or two, enough to see the nearest streets. */
const MIN_RADIUS_M = 150;
const MAX_STREET_LABELS = 6;
/** Pixels between two street labels' centres, so that they do not print over each other. */
const LABEL_GAP = 70;
/** Pixels around the position kept free of street names. */
const CENTRE_CLEAR = 50;

export function SmallMap({ t, lat, lon, accuracyM, objects, base }: SmallMapProps) {
  const origin: LonLat = [lon, lat];
  const farthest = Math.max(0, ...objects.map((o) => Math.hypot(...xy(toLocalMetres(origin, [o.lon, o.lat])))));
  const radiusM = Math.max(MIN_RADIUS_M, accuracyM * 2, farthest * 1.4);
  const mPerPx = (2 * radiusM) / Math.min(WIDTH, HEIGHT);
  const project = (point: LonLat): [number, number] => {
    const m = toLocalMetres(origin, point);
    return [WIDTH / 2 + m.x / mPerPx, HEIGHT / 2 - m.y / mPerPx];
  };
  const streets = base ? visibleStreets(base, project) : [];
  const districts = base ? base.districts.map((d) => d.rings.map((ring) => pathOf(ring.map(project), true))) : [];
  const scaleM = roundScaleM(radiusM * 0.6);
  const scalePx = scaleM / mPerPx;
  const accuracyPx = accuracyM / mPerPx;

  return (
    <figure class="small-map">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="small-map-title small-map-desc"
        data-testid="small-map"
      >
        <title id="small-map-title">{t.mapTitle}</title>
        <desc id="small-map-desc">{`${t.mapYou}: ${lat.toFixed(5)}, ${lon.toFixed(5)}. ${fill(t.whereAccuracy, { m: Math.round(accuracyM) })}.`}</desc>
        <rect class="map-ground" width={WIDTH} height={HEIGHT} />
        {districts.flat().map((d, i) => (
          <path key={i} class="map-district" d={d} />
        ))}
        {streets.map((s) => (
          <path key={s.key} class="map-street" d={s.path} />
        ))}
        {streetLabels(streets).map((l) => (
          <text
            key={l.key}
            class="map-street-label"
            x={l.x}
            y={l.y}
            transform={`rotate(${l.angle} ${l.x} ${l.y})`}
            text-anchor="middle"
            dominant-baseline="middle"
          >
            {l.name}
          </text>
        ))}
        <circle class="map-accuracy" cx={WIDTH / 2} cy={HEIGHT / 2} r={accuracyPx} data-testid="accuracy-circle" />
        {objectMarks(objects.map((o) => ({ number: o.number, at: project([o.lon, o.lat]) }))).map((o) => (
          <g key={o.number} class="map-object">
            <rect x={o.at[0] - 4} y={o.at[1] - 4} width={8} height={8} />
            {o.label && (
              <text x={o.label.x} y={o.label.y} text-anchor={o.label.anchor}>
                {o.number}
              </text>
            )}
          </g>
        ))}
        <g class="map-you" data-testid="position">
          <circle cx={WIDTH / 2} cy={HEIGHT / 2} r={7} />
          <path d={`M${WIDTH / 2 - 12} ${HEIGHT / 2}h24M${WIDTH / 2} ${HEIGHT / 2 - 12}v24`} />
          <text x={WIDTH / 2 + 11} y={HEIGHT / 2 + 18}>
            {t.mapYou}
          </text>
        </g>
        <g class="map-scale" transform={`translate(10 ${HEIGHT - 14})`}>
          <path d={`M0 -5v5h${scalePx}v-5`} />
          <text x={scalePx / 2} y={-8} text-anchor="middle">
            {fill(t.metres, { m: scaleM })}
          </text>
        </g>
        <text class="map-north" x={WIDTH - 10} y={18} text-anchor="end">
          ↑ {t.mapNorth}
        </text>
      </svg>
      <figcaption class="map-legend">
        <span class="legend-you">✚ {t.mapYou}</span>
        <span class="legend-accuracy">◯ {t.mapAccuracy}</span>
        <span class="legend-object">■ {t.mapObject}</span>
        {base === null && <span class="legend-note">{t.mapNoStreets}</span>}
      </figcaption>
    </figure>
  );
}

/** Roughly how wide a character of the map's 10 px labels is, for keeping labels apart. */
const CHAR_PX = 6;
const LABEL_PX = 12;

type Box = { x0: number; y0: number; x1: number; y1: number };

/**
 * Each named object's square, and its number beside it where there is room: objects a few
 * metres apart would print their numbers over each other and over "You are here"; a label that
 * finds no free place of the four around its square is left out (the number is in the form above).
 */
function objectMarks(objects: { number: string; at: [number, number] }[]) {
  const cx = WIDTH / 2;
  const cy = HEIGHT / 2;
  // The position's own mark and label are taken first.
  const taken: Box[] = [
    { x0: cx - 12, y0: cy - 12, x1: cx + 12, y1: cy + 12 },
    { x0: cx + 9, y0: cy + 8, x1: cx + 80, y1: cy + 22 },
  ];
  const overlaps = (b: Box) =>
    b.x0 < 0 ||
    b.x1 > WIDTH ||
    b.y0 < 0 ||
    b.y1 > HEIGHT ||
    taken.some((t) => b.x0 < t.x1 && b.x1 > t.x0 && b.y0 < t.y1 && b.y1 > t.y0);
  return objects.map(({ number, at: [x, y] }) => {
    const width = number.length * CHAR_PX;
    const places = [
      { x: x + 7, y: y - 6, anchor: 'start', box: { x0: x + 6, y0: y - 6 - LABEL_PX, x1: x + 8 + width, y1: y - 4 } },
      { x: x + 7, y: y + 14, anchor: 'start', box: { x0: x + 6, y0: y + 4, x1: x + 8 + width, y1: y + 16 } },
      { x: x - 7, y: y - 6, anchor: 'end', box: { x0: x - 8 - width, y0: y - 6 - LABEL_PX, x1: x - 6, y1: y - 4 } },
      { x: x - 7, y: y + 14, anchor: 'end', box: { x0: x - 8 - width, y0: y + 4, x1: x - 6, y1: y + 16 } },
    ];
    const free = places.find((p) => !overlaps(p.box));
    if (free) taken.push(free.box);
    return { number, at: [x, y] as [number, number], label: free && { x: free.x, y: free.y, anchor: free.anchor } };
  });
}

function xy(m: { x: number; y: number }): [number, number] {
  return [m.x, m.y];
}

interface VisibleStreet {
  key: string;
  name: string;
  path: string;
  /** The longest run of the street inside the map, in pixels: where its label goes. */
  longest: [number, number][];
}

/**
 * The parts of the streets inside the map (with a margin), as SVG paths. A whole city's
 * streets are thousands of segments; only runs of segments that touch the view are drawn.
 */
function visibleStreets(base: BaseMap, project: (p: LonLat) => [number, number]): VisibleStreet[] {
  const margin = 20;
  const inView = (a: [number, number], b: [number, number]) =>
    Math.max(a[0], b[0]) >= -margin &&
    Math.min(a[0], b[0]) <= WIDTH + margin &&
    Math.max(a[1], b[1]) >= -margin &&
    Math.min(a[1], b[1]) <= HEIGHT + margin;
  const visible: VisibleStreet[] = [];
  base.streets.forEach((street, s) => {
    const runs: [number, number][][] = [];
    for (const line of street.lines) {
      const points = line.map(project);
      let run: [number, number][] = [];
      for (let i = 0; i + 1 < points.length; i++) {
        const a = points[i] as [number, number];
        const b = points[i + 1] as [number, number];
        if (inView(a, b)) {
          if (run.length === 0) run.push(a);
          run.push(b);
        } else if (run.length > 0) {
          runs.push(run);
          run = [];
        }
      }
      if (run.length > 0) runs.push(run);
    }
    if (runs.length === 0) return;
    const longest = runs.reduce((best, run) => (runLength(run) > runLength(best) ? run : best));
    visible.push({ key: `s${s}`, name: street.name, path: runs.map((r) => pathOf(r, false)).join(''), longest });
  });
  return visible;
}

function pathOf(points: readonly (readonly [number, number])[], closed: boolean): string {
  const d = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`).join('');
  return closed ? `${d}Z` : d;
}

function runLength(run: readonly [number, number][]): number {
  let length = 0;
  for (let i = 1; i < run.length; i++) {
    const a = run[i - 1] as [number, number];
    const b = run[i] as [number, number];
    length += Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  return length;
}

/** A label per named street, at the middle of its longest visible run, turned along it and kept upright. */
function streetLabels(streets: VisibleStreet[]) {
  const labels: { key: string; name: string; x: number; y: number; angle: number }[] = [];
  const byLength = streets.filter((s) => s.name).sort((a, b) => runLength(b.longest) - runLength(a.longest));
  for (const street of byLength) {
    if (labels.length >= MAX_STREET_LABELS) break;
    // Places along the street inside the map, nearest first to a comfortable distance from the
    // position: the middle is the position's, with its circle and labels; the edges cut names off.
    const places = LABEL_FRACTIONS.map((f) => pointAlong(street.longest, f))
      .filter((p): p is [number, number, number] => p !== undefined)
      .filter(([x, y]) => x >= 40 && x <= WIDTH - 40 && y >= 14 && y <= HEIGHT - 24)
      .filter(([x, y]) => Math.hypot(x - WIDTH / 2, y - HEIGHT / 2) >= CENTRE_CLEAR)
      .filter(([x, y]) => labels.every((l) => Math.hypot(l.x - x, l.y - y) >= LABEL_GAP))
      .sort((a, b) => fromComfort(a) - fromComfort(b));
    const place = places[0];
    if (place) labels.push({ key: street.key, name: street.name, x: place[0], y: place[1], angle: place[2] });
  }
  return labels;
}

const LABEL_FRACTIONS = Array.from({ length: 19 }, (_, i) => (i + 1) / 20);

/** How far a label's place is from the comfortable distance to the position (in pixels). */
function fromComfort([x, y]: [number, number, number]): number {
  return Math.abs(Math.hypot(x - WIDTH / 2, y - HEIGHT / 2) - CENTRE_CLEAR * 1.8);
}

/** The point `fraction` of the way along a run, and the run's direction there in degrees (-90..90, so text reads left to right). */
function pointAlong(run: readonly [number, number][], fraction: number): [number, number, number] | undefined {
  const half = runLength(run) * fraction;
  let walked = 0;
  for (let i = 1; i < run.length; i++) {
    const a = run[i - 1] as [number, number];
    const b = run[i] as [number, number];
    const step = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (walked + step >= half && step > 0) {
      const f = (half - walked) / step;
      let angle = (Math.atan2(b[1] - a[1], b[0] - a[0]) * 180) / Math.PI;
      if (angle > 90) angle -= 180;
      if (angle < -90) angle += 180;
      return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), angle];
    }
    walked += step;
  }
  return undefined;
}
