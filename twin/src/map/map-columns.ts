import { randomBytes } from 'node:crypto';
import type { MapObjects } from '../contract/map.ts';
import type { CityObjectRecord } from '../objects/object-record.ts';

/** What the map's columns are built from: the in-memory index (objects/object-index.ts). */
export interface MapObjectSource {
  /** Moves whenever an object is added, changed or removed. */
  readonly version: number;
  list(): CityObjectRecord[];
}

export interface MapColumnsSnapshot {
  answer: MapObjects;
  /** The answer as sent: serialised once per version, not per request. */
  json: string;
  etag: string;
  /** Object number (as the registry writes it) -> its index in the columns. */
  indexOf: Map<string, number>;
}

/** Coordinates rounded to 1e-6 degrees (~0.1 m): more digits are noise on a wall map and cost bytes. */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Every object as the map's columns (contract/map.ts MapObjects), built from the index only
 * when the index has changed since the last answer - never from the database - and serialised
 * once. The version says which process built it (a random id per process) and from which index
 * state, so an ETag from another process or an older start never matches by accident.
 */
export class MapColumns {
  private readonly processId = randomBytes(4).toString('hex');
  private snapshot: MapColumnsSnapshot | undefined;
  private builtFrom = -1;

  constructor(private readonly objects: MapObjectSource) {}

  current(): MapColumnsSnapshot {
    const version = this.objects.version;
    if (this.snapshot && this.builtFrom === version) return this.snapshot;
    this.snapshot = this.build(`${this.processId}-${version}`);
    this.builtFrom = version;
    return this.snapshot;
  }

  private build(version: string): MapColumnsSnapshot {
    const records = this.objects.list();
    const types: string[] = [];
    const typeIds = new Map<string, number>();
    const districts: (string | null)[] = [];
    const districtIds = new Map<string | null, number>();
    const answer: MapObjects = {
      version,
      count: records.length,
      types,
      type: new Array(records.length),
      numbers: new Array(records.length),
      lon: new Array(records.length),
      lat: new Array(records.length),
      districts,
      district: new Array(records.length),
    };
    const indexOf = new Map<string, number>();
    records.forEach((r, i) => {
      let t = typeIds.get(r.type);
      if (t === undefined) {
        t = types.push(r.type) - 1;
        typeIds.set(r.type, t);
      }
      let d = districtIds.get(r.district);
      if (d === undefined) {
        d = districts.push(r.district) - 1;
        districtIds.set(r.district, d);
      }
      answer.type[i] = t;
      answer.numbers[i] = r.number;
      answer.lon[i] = round6(r.lon);
      answer.lat[i] = round6(r.lat);
      answer.district[i] = d;
      indexOf.set(r.number, i);
    });
    return { answer, json: JSON.stringify(answer), etag: `"map-objects-${version}"`, indexOf };
  }
}
