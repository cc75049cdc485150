import type { Db } from '@city/ingest';
import type { Logger } from 'pino';
import { numberKey } from '../contract/object-number.ts';
import { listDistricts } from './districts-table.ts';
import { loadObjectIndex } from './load-object-index.ts';
import {
  type ChangeMark,
  lookAtChanges,
  objectChangesSince,
  pruneObjectDeletions,
  type RegistryVersions,
} from './object-changes-table.ts';
import type { ObjectIndex } from './object-index.ts';
import { objectPages } from './objects-table.ts';

/**
 * How often a process looks for objects changed by another (an import it did not serve, SQL):
 * each look is a few index range scans that usually find nothing, so a change shows everywhere
 * within a couple of seconds for next to no load.
 */
const DEFAULT_INTERVAL_MS = 2000;
/** How long deleted numbers are kept for the looks (migrations/003_object_changes.sql). */
const DELETIONS_KEPT_HOURS = 24;
/** How often each process prunes older deletions (any process's prune serves all). */
const PRUNE_EVERY_MS = 10 * 60_000;
/** A process that has not looked for this long may have missed pruned deletions: it reloads every object. */
const RELOAD_AFTER_MS = (DELETIONS_KEPT_HOURS / 2) * 3_600_000;

/** The registry tables whose change a cache of labels and names hears of (objects-routes.ts). */
const REFERENCE = ['districts', 'object_types', 'utilities'] as const;

/** What a poll brings about in the index, for logs and tests. */
export interface SyncResult {
  upserted: number;
  removed: number;
  districts: boolean;
  /** Districts, object types or utilities changed: the listeners were told. */
  reference: boolean;
  /** Every object read again (a TRUNCATE, or too long without a look). */
  reloaded: boolean;
}

/** Tells a cache of districts, object types or utilities (objects-routes.ts) that they changed. */
export interface RegistryChanges {
  /** `listener` runs after each look that found districts, object types or utilities changed. */
  onReferenceChange(listener: () => unknown): void;
}

export interface ObjectSyncOptions {
  db: Db;
  log: Logger;
  /** How often to look (default 2 s); tests look more often. */
  intervalMs?: number | undefined;
}

/**
 * Keeps a process's in-memory index of objects following the objects table, whichever process
 * or tool changed it: several twin processes serve one database, and each has its own index.
 * Every `intervalMs` it reads what changed since its last look (created and updated objects,
 * deleted numbers, moved counters of districts, types and utilities; see object-changes-table.ts)
 * and applies it. Its own process's imports come back once more, which the index takes as a
 * no-op; a look that raced with an import and applied an older row is put right by the next,
 * which reads that import's rows again.
 */
export class ObjectSync implements RegistryChanges {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SyncResult> | undefined;
  private readonly listeners: (() => unknown)[] = [];
  private lookedAtMs = Date.now();
  private prunedAtMs = 0;
  private closed = false;

  private constructor(
    private readonly opts: ObjectSyncOptions,
    readonly objects: ObjectIndex,
    private since: ChangeMark,
    private versions: RegistryVersions,
  ) {}

  /**
   * The index of every object, and its sync, looking every `intervalMs` from then on. The mark is
   * taken before the index is read, so what changes while it loads is read again at the first look.
   */
  static async load(opts: ObjectSyncOptions): Promise<ObjectSync> {
    const { mark, versions } = await lookAtChanges(opts.db);
    const sync = new ObjectSync(opts, await loadObjectIndex(opts.db), mark, versions);
    sync.timer = setInterval(() => {
      sync.poll().catch((err: Error) => opts.log.warn({ err: err.message }, 'objects: looking for changes failed'));
    }, opts.intervalMs ?? DEFAULT_INTERVAL_MS);
    sync.timer.unref();
    return sync;
  }

  onReferenceChange(listener: () => unknown): void {
    this.listeners.push(listener);
  }

  /** Looks for changes now and applies them (a look already running is waited for instead). */
  poll(): Promise<SyncResult> {
    this.running ??= this.look().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops looking; a look under way finishes first, so the database may close after. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.running?.catch(() => {});
  }

  private async look(): Promise<SyncResult> {
    const result: SyncResult = { upserted: 0, removed: 0, districts: false, reference: false, reloaded: false };
    if (this.closed) return result;
    const { db, log } = this.opts;
    const changes = await objectChangesSince(db, this.since);
    const moved = (name: string) => changes.versions[name] !== this.versions[name];
    result.districts = moved('districts');
    result.reference = REFERENCE.some(moved);
    if (result.districts) this.objects.setDistricts(await listDistricts(db));
    if (moved('objects') || Date.now() - this.lookedAtMs > RELOAD_AFTER_MS) {
      await this.reload();
      result.reloaded = true;
    } else {
      for (const number of changes.removed) this.objects.remove(number);
      for (const object of changes.upserted) this.objects.upsert(object);
      result.upserted = changes.upserted.length;
      result.removed = changes.removed.length;
    }
    this.since = changes.mark;
    this.versions = changes.versions;
    this.lookedAtMs = Date.now();
    if (result.reference) {
      for (const listener of this.listeners) {
        try {
          await listener();
        } catch (err) {
          log.warn({ err: (err as Error).message }, 'objects: refreshing districts and labels failed');
        }
      }
    }
    // Debug: this process's own imports come back here too, and while another transaction that
    // writes runs long, what changed meanwhile comes back at every look.
    if (result.upserted + result.removed > 0 || result.reference) log.debug(result, 'objects: changes applied');
    if (result.reloaded) log.info(result, 'objects: every object read again');
    if (Date.now() - this.prunedAtMs > PRUNE_EVERY_MS) {
      this.prunedAtMs = Date.now();
      await pruneObjectDeletions(db, DELETIONS_KEPT_HOURS);
    }
    return result;
  }

  /**
   * Every object read again into the index (after a TRUNCATE, or a gap longer than deletions are
   * kept), and the ones the table no longer holds removed. The look's mark, taken before, covers
   * what changes meanwhile.
   */
  private async reload(): Promise<void> {
    const { objects } = this;
    const held = new Set<string>();
    for await (const page of objectPages(this.opts.db, {})) {
      for (const object of page) {
        objects.upsert(object);
        held.add(numberKey(object.number));
      }
    }
    for (const object of objects.list()) {
      if (!held.has(numberKey(object.number))) objects.remove(object.number);
    }
  }
}
