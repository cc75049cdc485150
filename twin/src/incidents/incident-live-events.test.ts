import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES, FIXTURES, reportsServer } from '../../test/reports-server.ts';

describe.each(ENGINES)('reports and incidents on the live stream (%s)', async (_engine, open) => {
  const server = await reportsServer(open);
  const { app, db } = server;
  afterAll(() => server.close());
  const admin = await server.as('admin');

  const eventsOf = async (incidentId: number) =>
    (
      await db.query<{ event: string; district: string; object_type: string; utility: string; payload: never }>(
        `SELECT event, district, object_type, utility, payload FROM live_events
          WHERE payload #>> '{incident,id}' = $1 OR payload #>> '{report,incidentId}' = $1 ORDER BY id`,
        [String(incidentId)],
      )
    ).rows;

  it('a report announces its incident and itself, without contact or tracking code; a status change again', async () => {
    const filed = await app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { objectNumber: FIXTURES.tree.number, category: 'fallen_tree', contact: '+380 50 000 0000' },
    });
    expect(filed.statusCode).toBe(201);
    const { incidentId, trackingCode } = filed.json();
    const opened = await eventsOf(incidentId);
    expect(opened.map((e) => [e.event, (e.payload as { action: string }).action])).toEqual([
      ['incident', 'opened'],
      ['report', 'filed'],
    ]);
    expect(opened[1]).toMatchObject({
      district: FIXTURES.tree.district,
      object_type: 'tree',
      utility: 'zelenbud',
      payload: { report: { objectNumber: FIXTURES.tree.number, category: 'fallen_tree', status: 'new' } },
    });
    const text = JSON.stringify(opened);
    expect(text).not.toContain('380 50');
    expect(text).not.toContain(trackingCode);

    const moved = await admin({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/transition`,
      payload: { to: 'acknowledged' },
    });
    expect(moved.statusCode).toBe(200);
    const after = (await eventsOf(incidentId)).slice(2);
    expect(after.map((e) => [e.event, (e.payload as { action: string }).action])).toEqual([
      ['incident', 'updated'],
      ['report', 'status'],
    ]);
    expect(after[1]?.payload).toMatchObject({ report: { status: 'acknowledged' } });
  });
});
