import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES, FIXTURES, reportsServer } from '../../test/reports-server.ts';
import type { ObjectIncident } from '../contract/objects.ts';

describe.each(ENGINES)('open incidents on the object card, on %s', async (_engine, open) => {
  const server = await reportsServer(open);
  const { app, db } = server;
  afterAll(() => server.close());
  const operator = await server.as('operator');
  const viewer = await server.as('viewer');
  const water = await server.as('dispatcher', 'vodokanal');
  const lights = await server.as('dispatcher', 'misksvitlo');
  const nobody = await server.as('dispatcher', null);

  // The water utility's manhole, with categories no other suite reports on it: on a shared
  // database, its incidents here are this suite's own.
  const manhole = FIXTURES.manhole4;
  const card = `/api/v1/objects/${encodeURIComponent(manhole.number)}`;
  const report = async (category: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { objectNumber: manhole.number, category },
    });
    expect(res.statusCode).toBe(201);
    return res.json().incidentId as number;
  };
  const incidentsOn = async (as: typeof viewer) => {
    const res = await as({ url: card });
    expect(res.statusCode).toBe(200);
    return res.json().incidents as ObjectIncident[];
  };

  it('staff see the open incidents, newest first; residents do not; a closed one leaves the card', async () => {
    const older = await report('fallen_tree');
    // Opened an hour earlier, whatever the clock did between the two reports.
    await db.query("UPDATE incidents SET opened_at = opened_at - interval '1 hour' WHERE id = $1", [older]);
    const newer = await report('bin_overflow');
    await report('bin_overflow');

    const seen = await incidentsOn(viewer);
    const ids = seen.map((i) => i.id);
    expect(ids).toContain(older);
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older));
    expect(seen.find((i) => i.id === newer)).toEqual({
      id: newer,
      category: 'bin_overflow',
      status: 'new',
      utility: 'vodokanal',
      assignee: null,
      reportCount: 2,
      openedAt: expect.any(String),
      lastReportAt: expect.any(String),
      slaDueAt: expect.any(String),
      slaBreached: false,
    });
    // The rest of the card is still the staff view.
    expect((await viewer({ url: card })).json()).toMatchObject({ number: manhole.number, attributes: {} });

    const resident = (await app.inject({ url: card })).json();
    expect(resident).not.toHaveProperty('incidents');
    expect(resident.number).toBe(manhole.number);

    const rejected = await operator({
      method: 'POST',
      url: `/api/v1/incidents/${older}/transition`,
      payload: { to: 'rejected', comment: 'not on site' },
    });
    expect(rejected.statusCode).toBe(200);
    const after = (await incidentsOn(viewer)).map((i) => i.id);
    expect(after).toContain(newer);
    expect(after).not.toContain(older);
  });

  it("a dispatcher sees their utility's incidents only; one of no utility, none", async () => {
    const id = await report('other');
    expect((await incidentsOn(water)).map((i) => i.id)).toContain(id);
    const others = await incidentsOn(lights);
    expect(others.map((i) => i.id)).not.toContain(id);
    expect(others.filter((i) => i.utility !== 'misksvitlo')).toEqual([]);
    expect(await incidentsOn(nobody)).toEqual([]);
  });
});
