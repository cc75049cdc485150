import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES, FIXTURES, reportsServer } from '../../test/reports-server.ts';
import type { Alarm } from '../contract/alarms.ts';
import { fakeObjects } from '../live/fake-object-lookup.ts';
import { applySignals } from './alarm-store.ts';

describe.each(ENGINES)("an object's active alarms on its staff card (%s)", async (_engine, open) => {
  const server = await reportsServer(open);
  const { app, db } = server;
  afterAll(() => server.close());
  const { manhole } = FIXTURES;
  const objects = fakeObjects([manhole]);
  const url = `/api/v1/objects/${encodeURIComponent(manhole.number)}`;

  it('shows staff the active alarms (a dispatcher their utility’s), residents none', async () => {
    const [event] = await applySignals(
      db,
      [
        {
          action: 'raise',
          rule: { id: 'manhole-open', alarmType: `manhole_open_${Date.now()}`, severity: 'major' },
          subject: manhole.number,
          objectNumber: manhole.number,
          devEui: '0102030405060709',
          readingMs: Date.now(),
          value: 1,
          message: 'lid open',
        },
      ],
      objects,
    );
    const raised = event?.payload as { alarm: Alarm };
    const alarmIds = async (as: (o: { url: string }) => Promise<{ json(): { alarms?: Alarm[] } }>) =>
      ((await as({ url })).json().alarms ?? []).map((a) => a.id);
    expect(await alarmIds(await server.as('operator'))).toContain(raised.alarm.id);
    expect(await alarmIds(await server.as('dispatcher', 'vodokanal'))).toContain(raised.alarm.id);
    expect(await alarmIds(await server.as('dispatcher', 'misksvitlo'))).toEqual([]);
    expect((await app.inject({ url })).json()).not.toHaveProperty('alarms');
  });
});
