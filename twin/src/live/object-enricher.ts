import { type Db, type Device, listDevices } from '@city/ingest';
import type { ObjectLiveState } from '../contract/live.ts';
import type { ObjectEnricher } from '../objects/objects-routes.ts';
import type { LiveTwin } from './live-twin.ts';

/** Devices shown on an object's card, at most (a cabinet may carry many). */
const CARD_DEVICES = 100;

/**
 * What staff see on an object's card beside the registry's facts: the devices bound to it now
 * and its live state (null before its first reading).
 */
export function liveEnricher(live: LiveTwin, db: Db): ObjectEnricher {
  return async (object): Promise<{ devices: Device[]; live: ObjectLiveState | null }> => ({
    devices: await listDevices(db, { objectNumber: object.number, limit: CARD_DEVICES, offset: 0 }),
    live: live.objectState(object.number) ?? null,
  });
}
