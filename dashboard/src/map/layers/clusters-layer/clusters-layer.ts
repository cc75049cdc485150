import { ScreenGridLayer } from '@deck.gl/aggregation-layers';
import type { ObjectColumns } from '../../object-columns.ts';

/**
 * When zoomed out, 100k dots merge into a smear: objects are counted into screen cells instead
 * (deck.gl's ScreenGridLayer, aggregated on the GPU from the same binary positions as the
 * objects layer), a sequential blue ramp from few to many, so density reads at a glance. The
 * objects layer still draws what needs attention on top (failed lamps, full bins, offline).
 */
export interface ClustersLayerProps {
  columns: ObjectColumns;
  /** Shown below this zoom. */
  maxZoom?: number;
  zoom: number;
  cellSizePixels?: number;
  visible?: boolean;
}

export const CLUSTERS_LAYER_DEFAULTS = { visible: true, maxZoom: 13, cellSizePixels: 28 } as const;

/** Few to many: light to dark blue (colour-blind safe, sequential). */
const RAMP: [number, number, number, number][] = [
  [198, 219, 239, 30],
  [158, 202, 225, 50],
  [107, 174, 214, 70],
  [66, 146, 198, 95],
  [33, 113, 181, 120],
  [8, 69, 148, 150],
];

const dataOf = new WeakMap<ObjectColumns, object>();

export function clustersLayer(props: ClustersLayerProps): ScreenGridLayer {
  const p = { ...CLUSTERS_LAYER_DEFAULTS, ...props };
  let data = dataOf.get(p.columns);
  if (!data) {
    data = { length: p.columns.count, attributes: { getPosition: { value: p.columns.positions, size: 2 } } };
    dataOf.set(p.columns, data);
  }
  return new ScreenGridLayer({
    id: 'clusters',
    data: data as unknown as unknown[],
    visible: p.visible && p.zoom < p.maxZoom,
    cellSizePixels: p.cellSizePixels,
    cellMarginPixels: 2,
    colorRange: RAMP,
    getWeight: 1,
    aggregation: 'SUM',
    gpuAggregation: true,
  });
}
