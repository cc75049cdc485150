import type { DistrictAggregates } from '@city/twin/contract';
import { PolygonLayer, TextLayer } from '@deck.gl/layers';
import { EAQI_COLORS } from '../../../shared/palette.ts';
import type { BaseDistrict, Ring } from '../../map-base.ts';
import { memoLast } from '../../memo-last.ts';

/**
 * Air quality per district as coloured zones, the European Air Quality Index band of each
 * (EAQI_COLORS, a colour-blind-safe ramp), each zone also labelled with its band number so the
 * band reads without colour; and at each station its newest PM2.5 / PM10 / NO2 values.
 */
export interface AirStation {
  lon: number;
  lat: number;
  values: Record<string, number>;
}

export interface AirLayerProps {
  districts: readonly BaseDistrict[];
  aggregates: DistrictAggregates | null;
  stations: readonly AirStation[];
  visible?: boolean;
  /** Zone fill opacity, 0-255. */
  opacity?: number;
}

export const AIR_LAYER_DEFAULTS = { visible: true, opacity: 110 } as const;

interface Zone {
  polygon: Ring[];
  band: number;
}

interface ZoneLabel {
  at: [number, number];
  band: number;
}

const STATION_METRICS = [
  ['pm25', 'PM2.5'],
  ['pm10', 'PM10'],
  ['no2', 'NO₂'],
] as const;

export function stationText(values: Record<string, number>): string {
  return STATION_METRICS.filter(([m]) => values[m] !== undefined)
    .map(([m, label]) => `${label} ${Math.round(values[m] as number)}`)
    .join('\n');
}

/** The zones and their labels, derived again only when the districts or the aggregates change. */
const zonesOf = memoLast((districts: readonly BaseDistrict[], aggregates: DistrictAggregates | null) => {
  const bands = new Map<string, number>();
  for (const d of aggregates?.districts ?? [])
    if (d.district !== null && d.air.band !== null) bands.set(d.district, d.air.band);
  const zones: Zone[] = [];
  const labels: ZoneLabel[] = [];
  for (const district of districts) {
    const band = bands.get(district.code);
    if (band === undefined) continue;
    for (const polygon of district.polygons) zones.push({ polygon, band });
    labels.push({ at: district.labelAt, band });
  }
  return { zones, labels };
});

export function airLayers(props: AirLayerProps): (PolygonLayer<Zone> | TextLayer<ZoneLabel> | TextLayer<AirStation>)[] {
  const p = { ...AIR_LAYER_DEFAULTS, ...props };
  const { zones, labels } = zonesOf(p.districts, p.aggregates);
  return [
    new PolygonLayer<Zone>({
      id: 'air-zones',
      data: zones,
      visible: p.visible,
      getPolygon: (z) => z.polygon,
      getFillColor: (z) => [...(EAQI_COLORS[z.band - 1] ?? [128, 128, 128]), p.opacity],
      getLineColor: (z) => [...(EAQI_COLORS[z.band - 1] ?? [128, 128, 128]), 255],
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      stroked: true,
      filled: true,
    }),
    new TextLayer<ZoneLabel>({
      id: 'air-bands',
      data: labels,
      visible: p.visible,
      getPosition: (l) => l.at,
      getText: (l) => `EAQI ${l.band}`,
      getSize: 16,
      getPixelOffset: [0, 22],
      getColor: [255, 255, 255, 255],
      outlineWidth: 3,
      outlineColor: [0, 0, 0, 255],
      fontSettings: { sdf: true },
      fontFamily: 'system-ui, "Noto Sans", sans-serif',
      fontWeight: 700,
    }),
    new TextLayer<AirStation>({
      id: 'air-stations',
      data: p.stations as AirStation[],
      visible: p.visible,
      getPosition: (s) => [s.lon, s.lat],
      getText: (s) => stationText(s.values),
      getSize: 13,
      getPixelOffset: [0, -26],
      getColor: [255, 255, 255, 255],
      outlineWidth: 3,
      outlineColor: [0, 0, 0, 255],
      fontSettings: { sdf: true },
      fontFamily: 'system-ui, "Noto Sans", sans-serif',
      characterSet: 'auto',
    }),
  ];
}
