import { type ObjectType, objectNumber } from '@city/twin/contract';
import { DEFAULT_BIN_DEPTH_MM } from '../behaviour/bin.ts';
import { Random } from '../random.ts';
import { DISTRICTS, type DistrictSpec } from './districts.ts';
import { densify, insideRing, type LonLat, M_PER_DEG_LAT, M_PER_DEG_LON, makeWarp, roundCoord } from './geometry.ts';
import { type Street, streetGrid } from './streets.ts';

export interface District {
  code: string;
  name: string;
  nameEn: string;
  /** closed ring, [lon, lat] degrees */
  ring: LonLat[];
}

export interface CityObject {
  number: string;
  type: ObjectType;
  district: string;
  lon: number;
  lat: number;
  street?: string;
  /** type-specific facts behaviours read: a bin's depth and route, a pole's cabinet */
  props: Record<string, string | number>;
}

export interface CityStreet {
  name: string;
  line: LonLat[];
}

/** Objects of each type in the demo city at scale 1 (cabinets follow from the poles). */
const OBJECT_TARGETS: Readonly<Record<Exclude<ObjectType, 'cabinet'>, number>> = {
  pole: 8000,
  tree: 6000,
  manhole: 3500,
  bin: 3000,
  meter_point: 2200,
  shelter: 500,
  air_station: 220,
};

/** Metres from the street's centre line, left negative: trees on the verge, buildings set back. */
const OFFSET_M: Readonly<Record<ObjectType, number>> = {
  pole: 12,
  tree: -9,
  manhole: 0,
  bin: 15,
  meter_point: 28,
  shelter: 14,
  air_station: 20,
  cabinet: 18,
};

/** One cabinet switches a row of poles along one street. */
const POLES_PER_CABINET = 18;
/** Bins a collection crew empties on one route. */
const BINS_PER_ROUTE = 40;
/** District borders are drawn with a vertex every this many hundredths of a degree. */
const BORDER_STEP = 0.25;

interface Place {
  district: string;
  point: LonLat;
  street: string;
}

/**
 * A synthetic city around Zaporizhzhia: districts, a street grid and numbered objects placed
 * along the streets, all from `seed`. `scale` multiplies the object counts (for fleets larger
 * than the demo's 5,000 devices).
 */
export function generateCity(seed: number, scale = 1) {
  const rng = new Random(seed);
  const warp = makeWarp(seed);
  const districts = DISTRICTS.map((spec) => ({
    spec,
    ring: closed(densify(spec.outline, BORDER_STEP).map((p) => roundCoord(warp(p)))),
  }));
  const streets = streetGrid(seed, M_PER_DEG_LON, M_PER_DEG_LAT);
  const totalM = streets.reduce((sum, s) => sum + lengthM(s), 0);

  const sequences = new Map<string, number>();
  const objects: CityObject[] = [];
  const add = (type: ObjectType, place: Place, props: CityObject['props'] = {}): CityObject => {
    const key = `${type}:${place.district}`;
    const seq = (sequences.get(key) ?? 0) + 1;
    sequences.set(key, seq);
    const [lon, lat] = place.point;
    const object = {
      number: objectNumber(type, place.district, seq),
      type,
      district: place.district,
      lon,
      lat,
      street: place.street,
      props,
    };
    objects.push(object);
    return object;
  };
  /** Where an object at `alongM` metres down the street, `offsetM` to its side, lands - if in a district. */
  const placeOn = (street: Street, alongM: number, offsetM: number): Place | undefined => {
    const unwarped = pointAlong(street, alongM, offsetM);
    const spec = DISTRICTS.find((d) =>
      insideRing(
        unwarped,
        d.outline.map(([lon, lat]) => [lon / 100, lat / 100]),
      ),
    );
    if (!spec) return undefined;
    const point = roundCoord(warp(unwarped));
    // Bending can push a point that hugged a border over it: such points are left out, and so
    // are points within a couple of metres of a border, which no reader should have to place.
    const ring = districts.find((d) => d.spec === spec)?.ring;
    const near = [-2e-5, 2e-5].flatMap((d): LonLat[] => [
      [point[0] + d, point[1]],
      [point[0], point[1] + d],
    ]);
    const inside = ring && [point, ...near].every((p) => insideRing(p, ring));
    return inside ? { district: spec.code, point, street: street.name } : undefined;
  };

  for (const street of streets) {
    const length = lengthM(street);
    for (const [type, target] of Object.entries(OBJECT_TARGETS) as [Exclude<ObjectType, 'cabinet'>, number][]) {
      const spacing = totalM / (target * scale);
      let row: { cabinet: CityObject; poles: number } | undefined;
      for (let along = rng.next() * spacing; along < length; along += spacing * rng.decimal(0.8, 1.2, 2)) {
        const place = placeOn(street, along, OFFSET_M[type]);
        if (!place) continue;
        if (type === 'pole') {
          if (!row || row.poles === POLES_PER_CABINET || row.cabinet.district !== place.district) {
            const at = placeOn(street, along, OFFSET_M.cabinet);
            row =
              at && at.district === place.district
                ? { cabinet: add('cabinet', at, { poles: 0 }), poles: 0 }
                : undefined;
          }
          if (!row) continue;
          row.poles++;
          row.cabinet.props.poles = row.poles;
          add('pole', place, { cabinet: row.cabinet.number });
        } else if (type === 'bin') {
          const stop = sequences.get(`bin:${place.district}`) ?? 0;
          const route = `${place.district}-${String(Math.floor(stop / BINS_PER_ROUTE) + 1).padStart(3, '0')}`;
          add('bin', place, { depthMm: DEFAULT_BIN_DEPTH_MM, route, routeStop: stop % BINS_PER_ROUTE });
        } else {
          add(type, place);
        }
      }
    }
  }
  return {
    districts: districts.map(({ spec, ring }) => toDistrict(spec, ring)),
    streets: streets.map((s) => ({ name: s.name, line: polyline(s).map((p) => roundCoord(warp(p))) })),
    objects,
  };
}

function toDistrict(spec: DistrictSpec, ring: LonLat[]): District {
  return { code: spec.code, name: spec.name, nameEn: spec.nameEn, ring };
}

function closed(ring: LonLat[]): LonLat[] {
  return [...ring, ring[0] as LonLat];
}

function lengthM(s: Street): number {
  return Math.hypot((s.to[0] - s.from[0]) * M_PER_DEG_LON, (s.to[1] - s.from[1]) * M_PER_DEG_LAT);
}

function pointAlong(s: Street, alongM: number, offsetM: number): LonLat {
  const length = lengthM(s);
  const ux = ((s.to[0] - s.from[0]) * M_PER_DEG_LON) / length;
  const uy = ((s.to[1] - s.from[1]) * M_PER_DEG_LAT) / length;
  // The normal to the left of the direction of travel.
  const x = alongM * ux - offsetM * uy;
  const y = alongM * uy + offsetM * ux;
  return [s.from[0] + x / M_PER_DEG_LON, s.from[1] + y / M_PER_DEG_LAT];
}

/** The street as a line with a vertex every 200 m, so the warp bends it visibly. */
function polyline(s: Street): LonLat[] {
  const n = Math.ceil(lengthM(s) / 200);
  return Array.from({ length: n + 1 }, (_, i) => pointAlong(s, (lengthM(s) * i) / n, 0));
}
