import type { Incident, IncidentStatus, Outage } from '@city/twin/contract';
import { PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { SEVERITY_COLORS, SEVERITY_SYMBOLS } from '../../../shared/palette.ts';
import type { BaseDistrict, Ring } from '../../map-base.ts';
import { memoLast } from '../../memo-last.ts';

/**
 * District outages (water, heat, power, lighting) as their district's area, outlined thick in the
 * outage's severity colour and labelled with the severity's symbol and the outage's kind; and
 * residents' open incidents as marked points (a dark disc, a white ring and "!").
 */
export interface OutagesLayerProps {
  districts: readonly BaseDistrict[];
  outages: readonly Outage[];
  incidents: readonly Incident[];
  /** The outage kind's words in the page's language (`water` -> "вода"). */
  kindLabel?: (kind: string) => string;
  visible?: boolean;
}

export const OUTAGES_LAYER_DEFAULTS = { visible: true, kindLabel: (kind: string) => kind } as const;

interface Area {
  polygon: Ring[];
  outage: Outage;
}

interface AreaLabel {
  at: [number, number];
  text: string;
  outage: Outage;
  /** Its place among the district's labels, top down. */
  row: number;
}

const OPEN_INCIDENT = new Set<IncidentStatus>(['new', 'acknowledged', 'assigned', 'in_progress']);

/** Areas, labels and open incidents, derived again only when their inputs change. */
const areasOf = memoLast(
  (
    districts: readonly BaseDistrict[],
    outages: readonly Outage[],
    all: readonly Incident[],
    kindLabel: (kind: string) => string,
  ) => {
    const byCode = new Map(districts.map((d) => [d.code, d]));
    const areas: Area[] = [];
    const labels: AreaLabel[] = [];
    const perDistrict = new Map<string, number>();
    for (const outage of outages) {
      if (outage.status !== 'active') continue;
      const district = byCode.get(outage.district);
      if (!district) continue;
      for (const polygon of district.polygons) areas.push({ polygon, outage });
      // Several outages of one district stack their labels instead of overprinting.
      const n = perDistrict.get(outage.district) ?? 0;
      perDistrict.set(outage.district, n + 1);
      labels.push({
        at: district.labelAt,
        text: `${SEVERITY_SYMBOLS[outage.severity]} ${kindLabel(outage.kind)}`,
        outage,
        row: n,
      });
    }
    const incidents = all.filter((i) => OPEN_INCIDENT.has(i.status));
    return { areas, labels, incidents };
  },
);

export function outagesLayers(
  props: OutagesLayerProps,
): (PolygonLayer<Area> | TextLayer<AreaLabel> | ScatterplotLayer<Incident> | TextLayer<Incident>)[] {
  const p = { ...OUTAGES_LAYER_DEFAULTS, ...props };
  const { areas, labels, incidents } = areasOf(p.districts, p.outages, p.incidents, p.kindLabel);
  return [
    new PolygonLayer<Area>({
      id: 'outage-areas',
      data: areas,
      visible: p.visible,
      getPolygon: (a) => a.polygon,
      getFillColor: (a) => [...SEVERITY_COLORS[a.outage.severity], 45],
      getLineColor: (a) => [...SEVERITY_COLORS[a.outage.severity], 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 4,
      stroked: true,
      filled: true,
      pickable: true,
    }),
    new TextLayer<AreaLabel>({
      id: 'outage-labels',
      data: labels,
      visible: p.visible,
      getPosition: (l) => l.at,
      getText: (l) => l.text,
      getPixelOffset: (l) => [0, -24 - 22 * l.row],
      getSize: 18,
      getColor: (l) => [...SEVERITY_COLORS[l.outage.severity], 255],
      outlineWidth: 4,
      outlineColor: [0, 0, 0, 255],
      fontSettings: { sdf: true },
      fontFamily: 'system-ui, "Noto Sans", sans-serif',
      fontWeight: 700,
      characterSet: 'auto',
    }),
    new ScatterplotLayer<Incident>({
      id: 'incidents',
      data: incidents,
      visible: p.visible,
      pickable: true,
      stroked: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (i) => [i.lon, i.lat],
      getRadius: 9,
      getFillColor: [20, 20, 20, 230],
      getLineColor: [255, 255, 255, 255],
      getLineWidth: 2,
    }),
    new TextLayer<Incident>({
      id: 'incident-marks',
      data: incidents,
      visible: p.visible,
      getPosition: (i) => [i.lon, i.lat],
      getText: () => '!',
      getSize: 14,
      getColor: [255, 255, 255, 255],
      fontWeight: 900,
      fontFamily: 'system-ui, sans-serif',
    }),
  ];
}
