import { migrate, openPglite, type Principal } from '@city/ingest';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateTwin } from '../migrate.ts';
import { insertLiveEvents, liveEventsFrom } from '../stream/live-events-table.ts';
import { READ_ONLY_ROOM, subscriptionRooms, visibleScope } from '../stream/stream-rooms.ts';

const principal = (role: Principal['role'], utility: string | null = null): Principal => ({
  kind: 'user',
  name: role,
  role,
  utility,
});
const subscription = (p: Principal) => ({ principal: p, districts: new Set<string>(), objectTypes: new Set<string>() });

describe('who the stream tells of commands', async () => {
  const db = await openPglite();
  await migrate(db);
  await migrateTwin(db);
  afterAll(() => db.close());
  const command = {
    event: 'command' as const,
    district: '03',
    objectType: 'pole',
    utility: 'misksvitlo',
    payload: {
      id: 1,
      objectNumber: 'ОП-03-00001',
      devEui: '0011223344556677',
      action: 'on' as const,
      level: null,
      status: 'pending' as const,
      at: '2026-11-30T18:00:00.000Z',
    },
  };
  const report = {
    event: 'report' as const,
    district: '03',
    objectType: 'pole',
    utility: 'misksvitlo',
    payload: {
      action: 'filed' as const,
      report: {
        incidentId: 1,
        objectNumber: 'ОП-03-00001',
        objectType: 'pole',
        category: 'light_out',
        status: 'new',
        district: '03',
        lat: 47.8,
        lon: 35.1,
        at: '2026-11-30T18:00:00.000Z',
      },
    },
  };

  it('puts wall screens and viewers in the read-only room, and staff who act not', () => {
    expect(subscriptionRooms(subscription(principal('kiosk')))).toContain(READ_ONLY_ROOM);
    expect(subscriptionRooms(subscription(principal('viewer')))).toContain(READ_ONLY_ROOM);
    for (const p of [principal('admin'), principal('operator'), principal('dispatcher', 'misksvitlo')]) {
      expect(subscriptionRooms(subscription(p))).not.toContain(READ_ONLY_ROOM);
    }
  });

  it('replays commands to staff who act, and not to a wall screen resuming', async () => {
    const [first] = await insertLiveEvents(db, [command, report]);
    const replayed = async (p: Principal) =>
      (await liveEventsFrom(db, first?.id ?? 0, visibleScope(subscription(p)), 10)).map((e) => e.event);
    expect(await replayed(principal('operator'))).toEqual(['command', 'report']);
    expect(await replayed(principal('dispatcher', 'misksvitlo'))).toEqual(['command', 'report']);
    expect(await replayed(principal('dispatcher', 'vodokanal'))).toEqual([]);
    expect(await replayed(principal('kiosk'))).toEqual(['report']);
    expect(await replayed(principal('viewer'))).toEqual(['report']);
  });
});
