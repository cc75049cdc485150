import { around } from 'geokdbush';
import KDBush from 'kdbush';
import { packNumber, unpackNumber } from './object-index-numbers.ts';
import { Vocabulary } from './object-index-vocabulary.ts';
import type { CityObjectRecord, DistrictRecord, ObjectStore } from './object-record.ts';
import { distanceM } from './spatial-distance.ts';
import { DistrictLocator } from './spatial-districts.ts';

/** What a query keeps: objects of one type, of one district (by the object's `district`), or both. */
export interface ObjectFilter {
  type?: string;
  district?: string;
}

export interface ObjectNear {
  object: CityObjectRecord;
  distanceM: number;
}

/**
 * Points per kd-tree leaf. geokdbush's nearest-neighbour search pays trigonometry and an
 * allocation for each node it opens and one haversine for each point of a leaf it opens: smaller
 * leaves than kdbush's default 64 open fewer points for a few more nodes.
 */
const NODE_SIZE = 32;
/** Changes (new or moved objects, tombstones) the index scans linearly before it rebuilds its trees. */
const MIN_PENDING = 512;
/** ... or this share of its objects, when that is more: a rebuild costs O(n log n), a change O(1). */
const PENDING_SHARE = 1 / 64;

/** Estimated V8 heap bytes of one Map entry: key, value and chain pointers plus its share of the buckets. */
const MAP_ENTRY_BYTES = 28;

interface Tree {
  kd: KDBush;
  /** The slot of the tree's item 0: a type's objects sit in consecutive slots after a rebuild. */
  offset: number;
}

/** A filter in ids: type 0 = any type, district -1 = any district. */
interface Compiled {
  typeId: number;
  districtId: number;
}

interface Hit {
  slot: number;
  distanceM: number;
}

/**
 * The twin's numbered objects in memory, for lookups by number and spatial queries: near a
 * point, in a box, in a district, the k nearest.
 *
 * Storage is by column (struct of arrays), one slot per object: coordinates in Float64Arrays
 * (Float32 would move a point by up to ~0.2 m and break an export's round trip), type, district
 * and utility as small integer ids, address and attributes as strings shared between objects
 * that have equal ones (attributes as JSON, parsed when a record is materialised by `get()` or
 * a query). Numbers of the city's scheme are packed into an integer (object-index-numbers.ts),
 * found through a Map from it; other numbers through a Map from their number key (look-alike
 * letters, case and dashes folded). `pnpm bench twin` sets the bytes per object beside those of
 * plain CityObjectRecords.
 *
 * Spatial queries run on kdbush trees - one over every object, one per type, so the k nearest
 * bins do not wade through poles - with geokdbush's great-circle nearest-neighbour search.
 * kdbush is static (a sorted array, no inserts), so changes are kept cheap instead:
 * - a new object, or one that moved or changed type, gets a fresh slot after the ones the trees
 *   hold; queries scan those pending slots linearly beside the trees;
 * - the slot an object leaves (removed, moved) becomes a tombstone the trees skip;
 * - once pending slots and tombstones pass max(512, 1/64 of the objects), the next query
 *   rebuilds: live slots are compacted, grouped by type, and the trees built anew (tens of
 *   milliseconds at 100k objects). Rebuilding at the next query rather than at the change lets
 *   an import upsert 100k objects at O(1) each and pay for one rebuild, not hundreds; a linear
 *   scan of at most ~1,600 pending slots (at 100k) costs a few microseconds per query.
 * Changes that keep an object's position and type (address, owner, attributes, district) are
 * written in place.
 *
 * District membership of an object is its `district` field, which the import sets; `districtAt`
 * answers which district a point lies in from the district polygons (`setDistricts`).
 */
export class ObjectIndex implements ObjectStore {
  /** Slots by packed number, for numbers of the scheme; by number key for the others. */
  private readonly slotOfPacked = new Map<number, number>();
  private readonly slotOfKey = new Map<string, number>();
  /** Numbers as given, where the packed number does not spell them so (outside the scheme, or a look-alike spelling). */
  private spelled = new Map<number, string>();
  private readonly types = new Vocabulary(255);
  private readonly districtCodes = new Vocabulary(65_535);
  private readonly utilities = new Vocabulary(65_535);
  private locator = new DistrictLocator([]);
  /** Moves with every change (upsert, removal, districts): what caches of the whole set (the map's columns) key on. */
  private changes = 0;

  private capacity = 0;
  /** Slots in use, live or tombstones. */
  private count = 0;
  /** Slots [0, built) are in the trees; [built, count) are pending. */
  private built = 0;
  private tombstones = 0;

  /** Packed number, -1 outside the scheme. */
  private packed = new Int32Array(0);
  private lons = new Float64Array(0);
  private lats = new Float64Array(0);
  private typeIds = new Uint8Array(0);
  private districtIds = new Uint16Array(0);
  private utilityIds = new Uint16Array(0);
  private alive = new Uint8Array(0);
  private addresses: (string | null)[] = [];
  /** JSON of the attributes; undefined for none. */
  private attributes: (string | undefined)[] = [];

  private all: Tree = { kd: new KDBush(0, NODE_SIZE).finish(), offset: 0 };
  /** By type id; undefined for a type without objects at the last rebuild. */
  private byType: (Tree | undefined)[] = [];

  /** An index of `objects` (a later duplicate number replaces an earlier) and `districts`, its trees built. */
  static build(objects: Iterable<CityObjectRecord>, districts: readonly DistrictRecord[] = []): ObjectIndex {
    const index = new ObjectIndex();
    index.setDistricts(districts);
    for (const object of objects) index.upsert(object);
    index.rebuild();
    return index;
  }

  /** A counter that moves whenever anything held changes. */
  get version(): number {
    return this.changes;
  }

  /** Objects held. */
  get size(): number {
    return this.slotOfPacked.size + this.slotOfKey.size;
  }

  get(number: string): CityObjectRecord | undefined {
    const slot = this.slotOf(number).slot;
    return slot === undefined ? undefined : this.record(slot);
  }

  /** An object's number as held and its position, without materialising the rest (what locating needs). */
  position(number: string): { number: string; lat: number; lon: number } | undefined {
    const slot = this.slotOf(number).slot;
    if (slot === undefined) return undefined;
    return { number: this.numberAt(slot), lat: this.lats[slot] as number, lon: this.lons[slot] as number };
  }

  upsert(object: CityObjectRecord): void {
    this.changes++;
    const { key, packed, slot } = this.slotOf(object.number);
    const typeId = this.types.id(object.type);
    if (
      slot !== undefined &&
      this.lons[slot] === object.lon &&
      this.lats[slot] === object.lat &&
      this.typeIds[slot] === typeId
    ) {
      this.write(slot, object);
      return;
    }
    if (slot !== undefined) this.bury(slot);
    const fresh = this.count++;
    if (fresh >= this.capacity) this.grow(Math.max(16, this.capacity * 2));
    this.packed[fresh] = packed;
    this.lons[fresh] = object.lon;
    this.lats[fresh] = object.lat;
    this.typeIds[fresh] = typeId;
    this.alive[fresh] = 1;
    this.write(fresh, object);
    if (packed >= 0) this.slotOfPacked.set(packed, fresh);
    else this.slotOfKey.set(key, fresh);
  }

  remove(number: string): void {
    const { key, packed, slot } = this.slotOf(number);
    if (slot === undefined) return;
    this.changes++;
    this.bury(slot);
    if (packed >= 0) this.slotOfPacked.delete(packed);
    else this.slotOfKey.delete(key);
  }

  setDistricts(districts: readonly DistrictRecord[]): void {
    this.changes++;
    this.locator = new DistrictLocator(districts);
  }

  /** The code of the district the point lies in (the district polygons), or null. */
  districtAt(lon: number, lat: number): string | null {
    return this.locator.at(lon, lat);
  }

  /** Objects within `radiusM` metres of the point, nearest first. */
  near(lat: number, lon: number, radiusM: number, options: ObjectFilter & { limit?: number } = {}): ObjectNear[] {
    return this.around(lon, lat, options.limit ?? Infinity, radiusM, options).map((h) => this.nearHit(h));
  }

  /** The `k` objects nearest to the point, nearest first; none farther than `maxDistanceM` if given. */
  nearest(lat: number, lon: number, k: number, options: ObjectFilter & { maxDistanceM?: number } = {}): ObjectNear[] {
    return this.around(lon, lat, k, options.maxDistanceM ?? Infinity, options).map((h) => this.nearHit(h));
  }

  /** Objects in the box (edges included; west ≤ east, no box across the antimeridian), at most `limit` of them. */
  bbox(
    west: number,
    south: number,
    east: number,
    north: number,
    options: ObjectFilter & { limit?: number } = {},
  ): CityObjectRecord[] {
    const filter = this.compile(options);
    if (!filter) return [];
    this.refresh();
    const limit = options.limit ?? Infinity;
    const slots: number[] = [];
    const tree = this.treeOf(filter);
    if (tree) {
      for (const id of tree.kd.range(west, south, east, north)) {
        if (slots.length >= limit) break;
        const slot = id + tree.offset;
        if (this.matches(slot, filter)) slots.push(slot);
      }
    }
    for (let slot = this.built; slot < this.count && slots.length < limit; slot++) {
      const lon = this.lons[slot] as number;
      const lat = this.lats[slot] as number;
      if (lon >= west && lon <= east && lat >= south && lat <= north && this.matches(slot, filter)) slots.push(slot);
    }
    return slots.map((slot) => this.record(slot));
  }

  /** Objects whose `district` is `code`, at most `limit` of them. */
  inDistrict(code: string, options: { type?: string; limit?: number } = {}): CityObjectRecord[] {
    return this.list({ ...options, district: code });
  }

  /** Objects of a type, a district, or both (all objects without a filter), at most `limit` of them. */
  list(options: ObjectFilter & { limit?: number } = {}): CityObjectRecord[] {
    const filter = this.compile(options);
    if (!filter) return [];
    this.refresh();
    const limit = options.limit ?? Infinity;
    const slots: number[] = [];
    // A type's slots are consecutive in the trees' part: only that stretch needs a look.
    const tree = this.treeOf(filter);
    const from = tree?.offset ?? 0;
    const to = tree === undefined ? 0 : filter.typeId === 0 ? this.built : from + tree.kd.numItems;
    for (let slot = from; slot < to && slots.length < limit; slot++) {
      if (this.matches(slot, filter)) slots.push(slot);
    }
    for (let slot = this.built; slot < this.count && slots.length < limit; slot++) {
      if (this.matches(slot, filter)) slots.push(slot);
    }
    return slots.map((slot) => this.record(slot));
  }

  /**
   * Bytes the index holds, estimated from what it stores: its typed arrays and trees exactly, V8's
   * strings by their layout (16-byte header, one or two bytes a character), arrays and Map entries
   * by their slot sizes. `pnpm bench twin` sets it beside the heap the index measurably takes.
   */
  memoryBytes(): number {
    const typed = [this.packed, this.lons, this.lats, this.typeIds, this.districtIds, this.utilityIds, this.alive];
    let bytes = typed.reduce((sum, a) => sum + a.byteLength, 0);
    for (const tree of [this.all, ...this.byType]) bytes += tree?.kd.data.byteLength ?? 0;
    bytes += 8 * (this.addresses.length + this.attributes.length);
    const strings = new Set<string>([...this.slotOfKey.keys(), ...this.spelled.values()]);
    for (const list of [this.addresses, this.attributes]) {
      for (const s of list) if (typeof s === 'string') strings.add(s);
    }
    for (const s of strings) bytes += stringBytes(s);
    for (const map of [this.slotOfPacked, this.slotOfKey, this.spelled]) {
      if (map.size > 0) bytes += 2 ** Math.ceil(Math.log2(Math.max(map.size, 4))) * MAP_ENTRY_BYTES;
    }
    return bytes;
  }

  /** Compacts live slots, groups them by type and builds the trees. Queries call it when changes have piled up. */
  rebuild(): void {
    const n = this.size;
    // Counting sort by type: each type's slots consecutive, in their previous order.
    const starts = new Uint32Array(this.types.count + 1);
    for (let slot = 0; slot < this.count; slot++) {
      if (this.alive[slot] !== 1) continue;
      const t = (this.typeIds[slot] as number) + 1;
      starts[t] = (starts[t] as number) + 1;
    }
    for (let t = 1; t < starts.length; t++) starts[t] = (starts[t] as number) + (starts[t - 1] as number);
    const next = starts.slice();
    const newSlot = new Int32Array(this.count).fill(-1);
    for (let slot = 0; slot < this.count; slot++) {
      if (this.alive[slot] !== 1) continue;
      const t = this.typeIds[slot] as number;
      newSlot[slot] = next[t] as number;
      next[t] = (next[t] as number) + 1;
    }

    const packed = new Int32Array(n);
    const lons = new Float64Array(n);
    const lats = new Float64Array(n);
    const typeIds = new Uint8Array(n);
    const districtIds = new Uint16Array(n);
    const utilityIds = new Uint16Array(n);
    const addresses = new Array<string | null>(n);
    const attributes = new Array<string | undefined>(n);
    // Equal addresses and attribute sets share one string (a street name, a bin's usual depth).
    const shared = new Map<string, string>();
    const share = <T extends string | null | undefined>(s: T): T => {
      if (typeof s !== 'string') return s;
      const known = shared.get(s);
      if (known !== undefined) return known as T;
      shared.set(s, s);
      return s;
    };
    for (let slot = 0; slot < this.count; slot++) {
      const to = newSlot[slot] as number;
      if (to < 0) continue;
      packed[to] = this.packed[slot] as number;
      lons[to] = this.lons[slot] as number;
      lats[to] = this.lats[slot] as number;
      typeIds[to] = this.typeIds[slot] as number;
      districtIds[to] = this.districtIds[slot] as number;
      utilityIds[to] = this.utilityIds[slot] as number;
      addresses[to] = share(this.addresses[slot] ?? null);
      attributes[to] = share(this.attributes[slot]);
    }
    for (const [packed, slot] of this.slotOfPacked) this.slotOfPacked.set(packed, newSlot[slot] as number);
    for (const [key, slot] of this.slotOfKey) this.slotOfKey.set(key, newSlot[slot] as number);
    this.spelled = new Map([...this.spelled].map(([slot, number]) => [newSlot[slot] as number, number]));

    this.packed = packed;
    this.lons = lons;
    this.lats = lats;
    this.typeIds = typeIds;
    this.districtIds = districtIds;
    this.utilityIds = utilityIds;
    this.alive = new Uint8Array(n).fill(1);
    this.addresses = addresses;
    this.attributes = attributes;
    this.capacity = this.count = this.built = n;
    this.tombstones = 0;

    this.all = { kd: tree(lons, lats, 0, n), offset: 0 };
    this.byType = [];
    for (let t = 1; t < this.types.count; t++) {
      const from = starts[t] as number;
      const to = starts[t + 1] as number;
      if (to > from) this.byType[t] = { kd: tree(lons, lats, from, to), offset: from };
    }
  }

  private refresh(): void {
    const pending = this.count - this.built + this.tombstones;
    if (pending > Math.max(MIN_PENDING, this.size * PENDING_SHARE)) this.rebuild();
  }

  /** Where a number (any spelling) is looked up, and its slot if it is held. */
  private slotOf(number: string): { key: string; packed: number; slot: number | undefined } {
    const { packed, key = '' } = packNumber(number);
    return { key, packed, slot: packed >= 0 ? this.slotOfPacked.get(packed) : this.slotOfKey.get(key) };
  }

  /** Type, district, address, owner and attributes of the object in `slot`. */
  private write(slot: number, object: CityObjectRecord): void {
    const packed = this.packed[slot] as number;
    if (packed >= 0 && unpackNumber(packed) === object.number) this.spelled.delete(slot);
    else this.spelled.set(slot, object.number);
    this.districtIds[slot] = this.districtCodes.id(object.district);
    this.utilityIds[slot] = this.utilities.id(object.ownerUtility);
    this.addresses[slot] = object.address;
    this.attributes[slot] = hasKeys(object.attributes) ? JSON.stringify(object.attributes) : undefined;
  }

  private bury(slot: number): void {
    this.alive[slot] = 0;
    this.tombstones++;
    this.spelled.delete(slot);
    this.addresses[slot] = null;
    this.attributes[slot] = undefined;
  }

  private grow(capacity: number): void {
    const widen = <A extends Float64Array | Int32Array | Uint8Array | Uint16Array>(
      a: A,
      make: new (n: number) => A,
    ): A => {
      const wider = new make(capacity);
      wider.set(a);
      return wider;
    };
    this.packed = widen(this.packed, Int32Array);
    this.lons = widen(this.lons, Float64Array);
    this.lats = widen(this.lats, Float64Array);
    this.typeIds = widen(this.typeIds, Uint8Array);
    this.districtIds = widen(this.districtIds, Uint16Array);
    this.utilityIds = widen(this.utilityIds, Uint16Array);
    this.alive = widen(this.alive, Uint8Array);
    this.capacity = capacity;
  }

  /** The filter in ids, or undefined when it names a type or district no object has (nothing matches). */
  private compile(filter: ObjectFilter): Compiled | undefined {
    const typeId = filter.type === undefined ? 0 : this.types.find(filter.type);
    const districtId = filter.district === undefined ? -1 : this.districtCodes.find(filter.district);
    if (typeId < 0 || (filter.district !== undefined && districtId < 0)) return undefined;
    return { typeId, districtId };
  }

  private treeOf(filter: Compiled): Tree | undefined {
    return filter.typeId === 0 ? this.all : this.byType[filter.typeId];
  }

  private matches(slot: number, filter: Compiled): boolean {
    return (
      this.alive[slot] === 1 &&
      (filter.typeId === 0 || this.typeIds[slot] === filter.typeId) &&
      (filter.districtId < 0 || this.districtIds[slot] === filter.districtId)
    );
  }

  /** Up to `maxResults` slots matching `options` within `maxM` of the point, nearest first: the tree's and the pending ones merged. */
  private around(lon: number, lat: number, maxResults: number, maxM: number, options: ObjectFilter): Hit[] {
    const filter = this.compile(options);
    if (!filter || maxResults < 1) return [];
    this.refresh();
    const hits: Hit[] = [];
    const tree = this.treeOf(filter);
    if (tree) {
      const { kd, offset } = tree;
      const alive = this.alive;
      const districtIds = this.districtIds;
      const district = filter.districtId;
      const keep =
        district < 0
          ? (id: number) => alive[id + offset] === 1
          : (id: number) => alive[id + offset] === 1 && districtIds[id + offset] === district;
      const maxKm = Number.isFinite(maxM) ? maxM / 1000 : undefined;
      for (const id of around(kd, lon, lat, maxResults, maxKm, keep)) {
        hits.push({ slot: id + offset, distanceM: this.distanceTo(id + offset, lon, lat) });
      }
    }
    let pending = false;
    for (let slot = this.built; slot < this.count; slot++) {
      if (!this.matches(slot, filter)) continue;
      const d = this.distanceTo(slot, lon, lat);
      if (d <= maxM) {
        hits.push({ slot, distanceM: d });
        pending = true;
      }
    }
    if (pending) {
      hits.sort((a, b) => a.distanceM - b.distanceM);
      if (hits.length > maxResults) hits.length = maxResults;
    }
    return hits;
  }

  private distanceTo(slot: number, lon: number, lat: number): number {
    return distanceM(lon, lat, this.lons[slot] as number, this.lats[slot] as number);
  }

  private nearHit(hit: Hit): ObjectNear {
    return { object: this.record(hit.slot), distanceM: hit.distanceM };
  }

  private numberAt(slot: number): string {
    return this.spelled.get(slot) ?? unpackNumber(this.packed[slot] as number);
  }

  /** The record of the object in `slot`, materialised: a new object each time, the caller's to keep. */
  private record(slot: number): CityObjectRecord {
    const attributes = this.attributes[slot];
    return {
      number: this.numberAt(slot),
      type: this.types.name(this.typeIds[slot] as number) as string,
      lat: this.lats[slot] as number,
      lon: this.lons[slot] as number,
      district: this.districtCodes.name(this.districtIds[slot] as number),
      address: this.addresses[slot] ?? null,
      ownerUtility: this.utilities.name(this.utilityIds[slot] as number),
      attributes: attributes === undefined ? {} : JSON.parse(attributes),
    };
  }
}

/** A kdbush tree over slots [from, to) of the coordinate columns; its item i is slot from + i. */
function tree(lons: Float64Array, lats: Float64Array, from: number, to: number): KDBush {
  const kd = new KDBush(to - from, NODE_SIZE, Float64Array);
  for (let slot = from; slot < to; slot++) kd.add(lons[slot] as number, lats[slot] as number);
  return kd.finish();
}

function hasKeys(record: object): boolean {
  for (const _ in record) return true;
  return false;
}

/** V8's size of a sequential string: a 16-byte header, then one byte per character, or two if any is beyond Latin-1. */
function stringBytes(s: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the Latin-1 range is the test
  const perChar = /[^\u0000-\u00ff]/.test(s) ? 2 : 1;
  return 16 + Math.ceil((s.length * perChar) / 8) * 8;
}
