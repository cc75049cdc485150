import { createHash } from 'node:crypto';
import type { Queryable } from '@city/ingest';
import type { MapBase } from '../contract/map.ts';
import { listDistricts } from '../objects/districts-table.ts';
import { baseMapVersion, listStreets } from './streets-table.ts';

export interface BaseMapAnswer {
  json: string;
  etag: string;
}

/**
 * The base map (contract/map.ts MapBase): the districts, then the streets, as one GeoJSON
 * FeatureCollection, serialised once and served until districts or streets change. Each ask
 * costs one small query (their counters in object_registry_versions, which the tables' triggers
 * move, whichever process changed them); the tables are read only when a counter moved.
 */
export class BaseMapCache {
  private cached: (BaseMapAnswer & { version: string }) | undefined;
  private building: Promise<BaseMapAnswer> | undefined;

  constructor(private readonly db: Queryable) {}

  async current(): Promise<BaseMapAnswer> {
    const version = await baseMapVersion(this.db);
    if (this.cached?.version === version) return this.cached;
    // Screens that ask together while it is read share one read.
    this.building ??= this.build(version).finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async build(version: string): Promise<BaseMapAnswer> {
    const [districts, streets] = await Promise.all([listDistricts(this.db), listStreets(this.db)]);
    const base: MapBase = {
      type: 'FeatureCollection',
      features: [
        ...districts.map((d) => ({
          type: 'Feature' as const,
          geometry: d.boundary,
          properties: { kind: 'district' as const, code: d.code, name: d.name, nameEn: d.nameEn },
        })),
        ...streets.map((s) => ({
          type: 'Feature' as const,
          geometry: { type: 'LineString' as const, coordinates: s.line },
          properties: { kind: 'street' as const, name: s.name, district: s.district },
        })),
      ],
    };
    const json = JSON.stringify(base);
    // The content's hash: equal maps from two processes or two starts share the ETag.
    const etag = `"map-base-${createHash('sha256').update(json).digest('base64url').slice(0, 22)}"`;
    this.cached = { json, etag, version };
    return this.cached;
  }
}
