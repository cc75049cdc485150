import { ScatterplotLayer } from '@deck.gl/layers';

/**
 * Where a caller stands (the desk's `locate` estimate): a dot and its accuracy circle in metres,
 * outlined so that it reads on any base map.
 */
export interface CallerPosition {
  lat: number;
  lon: number;
  accuracyM: number;
}

export interface PositionLayerProps {
  position: CallerPosition | null;
  visible?: boolean;
}

export const POSITION_LAYER_DEFAULTS = { visible: true } as const;
const COLOR: [number, number, number] = [86, 180, 233];

export function positionLayers(props: PositionLayerProps): ScatterplotLayer<CallerPosition>[] {
  const p = { ...POSITION_LAYER_DEFAULTS, ...props };
  const data = p.position ? [p.position] : [];
  return [
    new ScatterplotLayer<CallerPosition>({
      id: 'position-accuracy',
      data,
      visible: p.visible,
      stroked: true,
      filled: true,
      radiusUnits: 'meters',
      lineWidthUnits: 'pixels',
      getPosition: (d) => [d.lon, d.lat],
      getRadius: (d) => Math.max(1, d.accuracyM),
      getFillColor: [...COLOR, 50],
      getLineColor: [...COLOR, 255],
      getLineWidth: 2,
    }),
    new ScatterplotLayer<CallerPosition>({
      id: 'position',
      data,
      visible: p.visible,
      stroked: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getPosition: (d) => [d.lon, d.lat],
      getRadius: 7,
      getFillColor: [...COLOR, 255],
      getLineColor: [255, 255, 255, 255],
      getLineWidth: 2,
    }),
  ];
}
