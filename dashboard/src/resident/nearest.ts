import type { ObjectPublicView } from '@city/twin/contract';
import type { BaseMap } from './base-map.ts';
import { distanceM, distanceToLineM, type LonLat } from './geo.ts';

/** A street farther than this is not "the nearest street" worth naming. */
const NEAREST_STREET_M = 250;

/** The address of the named object nearest the estimate (objects carry addresses; a bare position does not). */
export function nearestAddress(here: LonLat, objects: readonly ObjectPublicView[]): string | undefined {
  let best: { address: string; m: number } | undefined;
  for (const o of objects) {
    if (!o.address) continue;
    const m = distanceM(here, [o.lon, o.lat]);
    if (!best || m < best.m) best = { address: o.address, m };
  }
  return best?.address;
}

/** The named street nearest the estimate, within NEAREST_STREET_M. */
export function nearestStreet(here: LonLat, base: BaseMap): { name: string; distanceM: number } | undefined {
  let best: { name: string; distanceM: number } | undefined;
  for (const street of base.streets) {
    if (!street.name) continue;
    for (const line of street.lines) {
      const m = distanceToLineM(here, line);
      if (m <= NEAREST_STREET_M && (!best || m < best.distanceM)) best = { name: street.name, distanceM: m };
    }
  }
  return best;
}
