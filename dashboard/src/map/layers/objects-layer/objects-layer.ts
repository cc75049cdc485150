import { COORDINATE_SYSTEM } from '@deck.gl/core';
import { ScatterplotLayer } from '@deck.gl/layers';
import { boundsOf, type ObjectColumns } from '../../object-columns.ts';
import type { ObjectStates } from '../../object-states.ts';

/**
 * Every object as a dot, from binary attributes (typed arrays, no per-object JavaScript objects):
 * positions once, colours, radii and outlines from ObjectStates, which readings rewrite in place.
 *
 * How an update stays cheap: the layer's `data` object is the same one for the map's life, so
 * deck.gl never sees "new data" (which would regenerate every attribute, picking colours
 * included). When ObjectStates bumps a version, the matching entry of `data.attributes` is
 * replaced by a new wrapper of the SAME typed array and the update trigger moves: deck.gl then
 * re-uploads that one buffer (4 bytes an object for colours) and touches nothing else.
 *
 * Positions go up as 32-bit offsets in degrees from the city's centre (LNGLAT_OFFSETS), not as
 * 64-bit longitudes and latitudes: deck.gl then needs no 64-bit emulation in the vertex shader
 * and half the bytes, and a float32 offset of a city's size is still finer than a millimetre.
 */
export interface ObjectsLayerProps {
  visible?: boolean;
  /** Dots shrink by this factor when zoomed out (the clusters show density there). */
  radiusScale?: number;
  pickable?: boolean;
}

export const OBJECTS_LAYER_DEFAULTS: Required<ObjectsLayerProps> = { visible: true, radiusScale: 1, pickable: true };

interface BinaryAttribute {
  value: ArrayBufferView;
  size: number;
  normalized?: boolean;
}

/** Holds the layer's binary data between renders. */
export class ObjectsLayerSource {
  private readonly attributes: Record<
    'getPosition' | 'getFillColor' | 'getLineColor' | 'getLineWidth' | 'getRadius',
    BinaryAttribute
  >;
  private readonly data: { length: number; attributes: Record<string, BinaryAttribute> };
  private seen = { fill: -1, line: -1, radius: -1 };
  private readonly origin: [number, number, number];

  constructor(
    columns: ObjectColumns,
    private readonly states: ObjectStates,
  ) {
    const box = boundsOf(columns) ?? [0, 0, 0, 0];
    this.origin = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2, 0];
    const offsets = new Float32Array(columns.count * 2);
    for (let i = 0; i < columns.count; i++) {
      offsets[2 * i] = (columns.positions[2 * i] as number) - this.origin[0];
      offsets[2 * i + 1] = (columns.positions[2 * i + 1] as number) - this.origin[1];
    }
    this.attributes = {
      getPosition: { value: offsets, size: 2 },
      getFillColor: { value: states.fillColors, size: 4, normalized: true },
      getLineColor: { value: states.lineColors, size: 4, normalized: true },
      getLineWidth: { value: states.lineWidths, size: 1 },
      getRadius: { value: states.radii, size: 1 },
    };
    this.data = { length: columns.count, attributes: this.attributes };
  }

  layer(props: ObjectsLayerProps = {}): ScatterplotLayer {
    const p = { ...OBJECTS_LAYER_DEFAULTS, ...props };
    const { states, attributes } = this;
    const v = states.version;
    if (this.seen.fill !== v.fill) attributes.getFillColor = { ...attributes.getFillColor };
    if (this.seen.line !== v.line) {
      attributes.getLineColor = { ...attributes.getLineColor };
      attributes.getLineWidth = { ...attributes.getLineWidth };
    }
    if (this.seen.radius !== v.radius) attributes.getRadius = { ...attributes.getRadius };
    this.seen = { fill: v.fill, line: v.line, radius: v.radius };
    return new ScatterplotLayer({
      id: 'objects',
      // A binary table: deck.gl reads the attributes, `length` says how many objects.
      data: this.data as unknown as unknown[],
      coordinateSystem: COORDINATE_SYSTEM.LNGLAT_OFFSETS,
      coordinateOrigin: this.origin,
      visible: p.visible,
      pickable: p.pickable,
      stroked: true,
      filled: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      radiusScale: p.radiusScale,
      radiusMinPixels: 1,
      updateTriggers: { getFillColor: v.fill, getLineColor: v.line, getLineWidth: v.line, getRadius: v.radius },
    });
  }
}
