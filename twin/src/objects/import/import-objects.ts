import { ApiError, type Db } from '@city/ingest';
import { STREET_LIMITS } from '../../contract/map.ts';
import { numberKey } from '../../contract/object-number.ts';
import {
  IMPORT_LIMITS,
  type ImportFormat,
  type ImportMode,
  type ImportRejection,
  type ImportReport,
} from '../../contract/objects.ts';
import { checkStreet } from '../../map/check-street.ts';
import type { StreetRecord } from '../../map/street-record.ts';
import { replaceStreets } from '../../map/streets-table.ts';
import { deleteUnusedDistricts, listDistricts, upsertDistricts } from '../districts-table.ts';
import type { CityObjectRecord, DistrictRecord, ObjectStore } from '../object-record.ts';
import { deleteObjectsNotIn, upsertObjects } from '../objects-table.ts';
import { loadReferenceData } from '../reference-data.ts';
import { checkDistrict } from './check-district.ts';
import { checkObject } from './check-object.ts';
import { CityExtent } from './city-extent.ts';
import type { Origin } from './raw-object.ts';
import { readCsv } from './read-csv.ts';
import { readGeoJson } from './read-geojson.ts';

/** An import file as its body parser gave it. */
export type ObjectFile =
  | { format: 'geojson'; collection: { features: readonly unknown[] } }
  | { format: 'csv'; text: string };

export interface ImportOptions {
  mode: ImportMode;
  /** The file becomes the whole registry: objects it does not name are removed. */
  replace?: boolean;
  /** The in-memory index, told what changed once the transaction has committed. */
  objects?: ObjectStore | undefined;
}

const positionOf = (at: Origin) => ('feature' in at ? at.feature : at.row);

/**
 * Imports a GeoJSON or CSV file of objects (and, in GeoJSON, districts): every row is checked,
 * and the rejected ones are reported with their reasons. In `all-or-nothing` mode a file with a
 * rejected row writes nothing (`written: false`); in `keep-valid` mode the valid rows are
 * written. What is written is written in one transaction - districts first, then objects by
 * number key, created or updated - so no reader sees half a file. The route and the embedded
 * mode's demo city both come through here.
 */
export async function importObjects(db: Db, file: ObjectFile, options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const rows =
    file.format === 'geojson'
      ? readGeoJson(file.collection.features)
      : { ...readCsv(file.text), districts: [], streets: [], ignored: 0 };
  const [reference, stored] = await Promise.all([loadReferenceData(db), listDistricts(db)]);
  const rejected: ImportRejection[] = [...rows.rejected];

  // Districts first: the objects are checked against them.
  if (rows.districts.length > IMPORT_LIMITS.districts) {
    throw new ApiError(400, 'bad_request', `more than ${IMPORT_LIMITS.districts} districts`);
  }
  const fileDistricts = new Map<string, DistrictRecord>();
  const districtFeatures = new Map<string, number[]>();
  let vertices = 0;
  for (const { at, properties, geometry } of rows.districts) {
    const checked = checkDistrict(properties, geometry);
    if (!checked.ok) {
      rejected.push({
        feature: at,
        number: null,
        ...(checked.code ? { district: checked.code } : {}),
        reasons: checked.reasons,
      });
      continue;
    }
    vertices += checked.vertices;
    fileDistricts.set(checked.record.code, checked.record);
    districtFeatures.set(checked.record.code, [...(districtFeatures.get(checked.record.code) ?? []), at]);
  }
  if (vertices > IMPORT_LIMITS.boundaryVertices) {
    throw new ApiError(
      400,
      'bad_request',
      `district boundaries of more than ${IMPORT_LIMITS.boundaryVertices} vertices`,
    );
  }
  for (const [code, at] of districtFeatures) {
    if (at.length < 2) continue;
    fileDistricts.delete(code);
    for (const feature of at) {
      rejected.push({
        feature,
        number: null,
        district: code,
        reasons: [`code: district ${code} is in the file ${at.length} times`],
      });
    }
  }

  // The file's districts first: where districts overlap, the file is the newer word.
  const districts = new Map(fileDistricts);
  for (const d of stored) if (!districts.has(d.code)) districts.set(d.code, d);
  const ctx = {
    reference,
    districtCodes: new Set(districts.keys()),
    extent: new CityExtent(districts.values()),
  };

  // Then objects, each on its own; a number key twice in the file rejects every row that has it.
  const valid = new Map<string, { record: CityObjectRecord; at: Origin }>();
  const atKey = new Map<string, Origin[]>();
  const objectRejections = new Map<Origin, ImportRejection>();
  for (const raw of rows.objects) {
    const checked = checkObject(raw, ctx);
    const key = checked.ok ? checked.key : typeof raw.number === 'string' ? numberKey(raw.number.trim()) : '';
    if (key !== '') atKey.set(key, [...(atKey.get(key) ?? []), raw.at]);
    if (checked.ok) valid.set(`${positionOf(raw.at)}`, { record: checked.record, at: raw.at });
    else objectRejections.set(raw.at, { ...raw.at, number: checked.number, reasons: checked.reasons });
  }
  for (const [, at] of atKey) {
    if (at.length < 2) continue;
    const where = `${'feature' in (at[0] as Origin) ? 'features' : 'rows'} ${at.slice(0, 5).map(positionOf).join(', ')}${at.length > 5 ? ', ...' : ''}`;
    for (const origin of at) {
      const entry = valid.get(`${positionOf(origin)}`);
      const reason = `number: ${at.length} rows of the file have this number (${where})`;
      if (entry) {
        valid.delete(`${positionOf(origin)}`);
        objectRejections.set(origin, { ...origin, number: entry.record.number, reasons: [reason] });
      } else objectRejections.get(origin)?.reasons.push(reason);
    }
  }
  rejected.push(...objectRejections.values());

  // Streets (the base map's): a file's streets replace the stored ones; they have no identity to update by.
  if (rows.streets.length > STREET_LIMITS.streets) {
    throw new ApiError(400, 'bad_request', `more than ${STREET_LIMITS.streets} streets`);
  }
  const streets: StreetRecord[] = [];
  let streetVertices = 0;
  for (const { at, properties, geometry } of rows.streets) {
    const checked = checkStreet(properties, geometry, ctx.districtCodes);
    if (!checked.ok) {
      rejected.push({ feature: at, number: null, reasons: checked.reasons });
      continue;
    }
    streetVertices += checked.record.line.length;
    streets.push(checked.record);
  }
  if (streetVertices > STREET_LIMITS.totalVertices) {
    throw new ApiError(400, 'bad_request', `streets of more than ${STREET_LIMITS.totalVertices} vertices`);
  }
  rejected.sort((a, b) => (a.feature ?? a.row ?? 0) - (b.feature ?? b.row ?? 0));

  const records = [...valid.values()].map((v) => v.record);
  const report: ImportReport = {
    format: file.format satisfies ImportFormat,
    mode: options.mode,
    written: false,
    accepted: records.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    districts: 0,
    ignored: rows.ignored,
    rejectedCount: rejected.length,
    rejected: rejected.slice(0, IMPORT_LIMITS.listedRejections),
    ms: 0,
  };
  if (options.mode === 'all-or-nothing' && rejected.length > 0) {
    report.ms = Math.round(performance.now() - started);
    return report;
  }

  // Every number the file names stays, even on a rejected row: a typo must not delete an object.
  const named = [...atKey.keys()];
  const written = await db.transaction(async (tx) => {
    await upsertDistricts(tx, [...fileDistricts.values()]);
    const upserted = await upsertObjects(tx, records);
    const removed = options.replace ? await deleteObjectsNotIn(tx, named) : [];
    const removedDistricts = options.replace ? await deleteUnusedDistricts(tx, [...fileDistricts.keys()]) : [];
    // A file that becomes the whole registry brings its streets, or none.
    if (rows.streets.length > 0 || options.replace) {
      const gone = new Set(removedDistricts);
      await replaceStreets(
        tx,
        streets.map((s) => (s.district !== null && gone.has(s.district) ? { ...s, district: null } : s)),
      );
    }
    return { upserted, removed, districtsChanged: fileDistricts.size > 0 || removedDistricts.length > 0 };
  });

  if (options.objects) {
    const index = options.objects;
    if (written.districtsChanged) index.setDistricts(await listDistricts(db));
    for (const number of written.removed) index.remove(number);
    for (const record of written.upserted.changed) index.upsert(record);
  }
  Object.assign(report, {
    written: true,
    created: written.upserted.created,
    updated: written.upserted.updated,
    unchanged: records.length - written.upserted.created - written.upserted.updated,
    removed: written.removed.length,
    districts: fileDistricts.size,
    ms: Math.round(performance.now() - started),
  });
  return report;
}
