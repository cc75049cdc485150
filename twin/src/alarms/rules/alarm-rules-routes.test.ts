import { pino } from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ENGINES } from '../../../test/engines.ts';
import { testServer } from '../../../test/test-server.ts';
import type { AlarmRule } from '../../contract/alarm-rules.ts';
import { AlarmRuleSync } from './alarm-rule-sync.ts';
import { seedAlarmRules } from './alarm-rules-seed.ts';
import { alarmRulesVersion } from './alarm-rules-table.ts';

describe.each(ENGINES)('alarm rules API on %s', async (_engine, open) => {
  const server = await testServer({}, { open });
  const { app } = server;
  const { db } = server.ingest;
  /** Shipped rules these tests change: put back as shipped, for other suites on a shared database. */
  const CHANGED = ['air-quality', 'bin-tilted', 'energy-index-backwards'];
  afterAll(async () => {
    await db.query('DELETE FROM alarm_rules WHERE id = ANY($1::text[])', [CHANGED]);
    await seedAlarmRules(db);
    await server.close();
  });
  const operator = await server.as('operator');
  const viewer = await server.as('viewer');
  const dispatcher = await server.as('dispatcher');
  /** Ids of this run: a real database keeps the rules of earlier runs. */
  const run = Math.random().toString(36).slice(2, 8);

  const newRule = (id: string, params: object = {}, extra: object = {}) => ({
    id,
    name: 'Bins nearly full in district 97',
    alarmType: 'bin_nearly_full',
    severity: 'warning',
    kind: 'threshold',
    target: { objectType: 'bin', district: '97' },
    params: { metric: 'fill_level', raise: { op: 'gte', value: 70 }, clear: { op: 'lt', value: 50 }, ...params },
    ...extra,
  });
  /** Audit rows are written once the answer has gone out: waits for `count` of them. */
  const auditOf = async (target: string, count: number) => {
    const rows = async () =>
      (
        await db.query<{ actor: string; action: string; status: number }>(
          'SELECT actor, action, status FROM audit_log WHERE target = $1 ORDER BY id',
          [target],
        )
      ).rows;
    await vi.waitFor(async () => expect(await rows()).toHaveLength(count));
    return rows();
  };

  it('lists the shipped rules to any reader, and to no one signed out', async () => {
    const res = await viewer({ url: '/api/v1/alarm-rules' });
    expect(res.statusCode).toBe(200);
    const rules = res.json() as AlarmRule[];
    expect(rules.find((r) => r.id === 'bin-full')).toMatchObject({
      alarmType: 'bin_full',
      kind: 'threshold',
      builtin: true,
      enabled: true,
      updatedBy: null,
      target: { deviceClass: 'bin' },
      params: { metric: 'fill_level', raise: { op: 'gte', value: 85 }, clear: { op: 'lt', value: 60 } },
    });
    // Defaults are filled in when seeded.
    expect(rules.find((r) => r.id === 'water-leak-night-flow')?.params).toMatchObject({
      window: { kind: 'hours', timeZone: 'Europe/Kyiv' },
    });
    expect((await app.inject({ url: '/api/v1/alarm-rules' })).statusCode).toBe(401);
    expect((await viewer({ url: '/api/v1/alarm-rules/device-offline' })).json()).toMatchObject({
      kind: 'no_data',
      params: { factor: 3 },
    });
    expect((await viewer({ url: '/api/v1/alarm-rules/no-such-rule' })).statusCode).toBe(404);
  });

  it('operators add rules (audited, naming the rule); viewers and dispatchers may not; an id is taken once', async () => {
    const id = `nearly-full-${run}`;
    const res = await operator({ method: 'POST', url: '/api/v1/alarm-rules', payload: newRule(id) });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ id, builtin: false, enabled: true, updatedBy: 'operator-of-the-test' });
    expect((await viewer({ url: `/api/v1/alarm-rules/${id}` })).json().params.raise).toEqual({ op: 'gte', value: 70 });
    expect((await operator({ method: 'POST', url: '/api/v1/alarm-rules', payload: newRule(id) })).statusCode).toBe(409);
    for (const who of [viewer, dispatcher]) {
      const refused = await who({ method: 'POST', url: '/api/v1/alarm-rules', payload: newRule(`${id}-x`) });
      expect(refused.statusCode).toBe(403);
    }
    expect(await auditOf(`alarm rule ${id}`, 2)).toEqual([
      { actor: 'operator-of-the-test', action: 'POST /api/v1/alarm-rules', status: 201 },
      { actor: 'operator-of-the-test', action: 'POST /api/v1/alarm-rules', status: 409 },
    ]);
  });

  it('refuses parameters that do not fit, with a 400 naming the field', async () => {
    const post = (payload: object) => operator({ method: 'POST', url: '/api/v1/alarm-rules', payload });
    const refused = async (payload: object, field: string) => {
      const res = await post(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'bad_request', message: expect.stringContaining(field) });
    };
    // No gap between raise and clear; a clear the same way as the raise.
    await refused(newRule(`a-${run}`, { clear: { op: 'lt', value: 70 } }), 'body.params.clear');
    await refused(newRule(`b-${run}`, { clear: { op: 'gt', value: 50 } }), 'body.params.clear');
    // Bands out of order.
    await refused(
      newRule(`c-${run}`, {
        bands: [
          { value: 90, severity: 'minor' },
          { value: 80, severity: 'major' },
        ],
      }),
      'body.params.bands.1.value',
    );
    // A duration rule's parameters given to a threshold rule; an unknown metric; an unknown time zone.
    await refused(
      { ...newRule(`d-${run}`), params: { metric: 'flow', condition: { op: 'gt', value: 0 }, forMinutes: 5 } },
      'body.params',
    );
    await refused(newRule(`e-${run}`, { metric: 'happiness' }), 'body.params');
    await refused(
      {
        ...newRule(`f-${run}`),
        kind: 'duration',
        params: {
          metric: 'flow',
          condition: { op: 'gt', value: 0 },
          forMinutes: 60,
          window: { kind: 'hours', from: '22:00', to: '05:00', timeZone: 'Europe/Atlantis' },
        },
      },
      'body.params.window.timeZone',
    );
    await refused({ ...newRule(`g-${run}`), extra: true }, 'extra');
    expect((await viewer({ url: `/api/v1/alarm-rules/a-${run}` })).statusCode).toBe(404);
  });

  it('a shipped rule is disabled and edited, not deleted; a staff rule is deleted', async () => {
    const disabled = await operator({
      method: 'PATCH',
      url: '/api/v1/alarm-rules/bin-tilted',
      payload: { enabled: false, severity: 'warning' },
    });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ enabled: false, severity: 'warning', updatedBy: 'operator-of-the-test' });
    const edited = await operator({
      method: 'PATCH',
      url: '/api/v1/alarm-rules/air-quality',
      payload: { params: { metric: 'pm25', raise: { op: 'gt', value: 60 }, clear: { op: 'lte', value: 45 } } },
    });
    expect(edited.json().params).toEqual({
      metric: 'pm25',
      raise: { op: 'gt', value: 60 },
      clear: { op: 'lte', value: 45 },
    });
    // Its kind stays: a change's parameters are refused for a threshold rule.
    const wrongKind = await operator({
      method: 'PATCH',
      url: '/api/v1/alarm-rules/air-quality',
      payload: { params: { metric: 'tilt', change: 'flag' } },
    });
    expect(wrongKind.statusCode).toBe(400);
    expect((await operator({ method: 'PATCH', url: '/api/v1/alarm-rules/bin-full', payload: {} })).statusCode).toBe(
      400,
    );
    expect(
      (await operator({ method: 'PATCH', url: '/api/v1/alarm-rules/nothing-here', payload: { enabled: true } }))
        .statusCode,
    ).toBe(404);
    expect(
      (await viewer({ method: 'PATCH', url: '/api/v1/alarm-rules/bin-full', payload: { enabled: false } })).statusCode,
    ).toBe(403);

    const builtin = await operator({ method: 'DELETE', url: '/api/v1/alarm-rules/air-quality' });
    expect(builtin.statusCode).toBe(409);
    expect(builtin.json().message).toContain('disable it instead');
    const id = `gone-${run}`;
    await operator({ method: 'POST', url: '/api/v1/alarm-rules', payload: newRule(id) });
    expect((await operator({ method: 'DELETE', url: `/api/v1/alarm-rules/${id}` })).statusCode).toBe(204);
    expect((await operator({ method: 'DELETE', url: `/api/v1/alarm-rules/${id}` })).statusCode).toBe(404);
    expect((await auditOf(`alarm rule ${id}`, 3)).map((a) => a.status)).toEqual([201, 204, 404]);

    // A start seeds again: the edits stay; a shipped rule deleted by SQL comes back.
    await db.query("DELETE FROM alarm_rules WHERE id = 'lamp-failure'");
    expect(await seedAlarmRules(db)).toBe(1);
    const rules = (await viewer({ url: '/api/v1/alarm-rules' })).json() as AlarmRule[];
    expect(rules.find((r) => r.id === 'air-quality')?.params).toMatchObject({ raise: { value: 60 } });
    expect(rules.find((r) => r.id === 'bin-tilted')?.enabled).toBe(false);
    expect(rules.find((r) => r.id === 'lamp-failure')?.builtin).toBe(true);
  });

  it('another process sees changes on its next poll, reading the rules only when they moved', async () => {
    const seen: AlarmRule[][] = [];
    const sync = await AlarmRuleSync.start({
      db,
      log: pino({ level: 'silent' }),
      onRules: (rules) => seen.push(rules),
      intervalMs: 60_000,
    });
    try {
      expect(seen).toHaveLength(1);
      await sync.refresh();
      expect(seen).toHaveLength(1);
      const before = await alarmRulesVersion(db);
      const id = `polled-${run}`;
      await operator({ method: 'POST', url: '/api/v1/alarm-rules', payload: newRule(id) });
      expect(await alarmRulesVersion(db)).not.toBe(before);
      await sync.refresh();
      expect(seen.at(-1)?.map((r) => r.id)).toContain(id);
      await operator({ method: 'PATCH', url: `/api/v1/alarm-rules/${id}`, payload: { enabled: false } });
      await sync.refresh();
      expect(seen.at(-1)?.find((r) => r.id === id)?.enabled).toBe(false);
      await operator({ method: 'DELETE', url: `/api/v1/alarm-rules/${id}` });
      await sync.refresh();
      expect(seen.at(-1)?.map((r) => r.id)).not.toContain(id);
      expect(seen).toHaveLength(4);
      // A row changed by SQL into something the engine cannot run is left out, not run.
      await db.query(
        `UPDATE alarm_rules SET params = '{"metric": "energy"}', updated_at = now() WHERE id = 'energy-index-backwards'`,
      );
      await sync.refresh();
      expect(seen.at(-1)?.map((r) => r.id)).not.toContain('energy-index-backwards');
    } finally {
      sync.close();
    }
  });
});
