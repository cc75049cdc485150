import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../devices/registry.ts';
import { type Db, openPglite, openPostgres } from '../store/db.ts';
import { changeBinding, deviceBindings, devicesUnboundSince, objectBindings } from '../store/device-bindings-table.ts';
import { deviceStatusesSince, updateDeviceRow, upsertDeviceRow } from '../store/devices-table.ts';
import { migrate } from '../store/migrate.ts';
import { latestReadings, latestReadingsPerObject } from '../store/readings-table.ts';
import { Ingest } from './ingest.ts';
import { createIngestMetrics } from './prometheus.ts';

const ENGINES: [string, () => Promise<Db>][] = [
  ['PGlite', () => openPglite()],
  ...(process.env.DATABASE_URL
    ? [['PostgreSQL', async () => openPostgres(process.env.DATABASE_URL as string)] as [string, () => Promise<Db>]]
    : []),
];

const EM310 = 'milesight-iot/em310-udl';
const T0 = Date.parse('2026-11-20T10:00:00Z');

/** A ChirpStack JSON uplink of an EM310-UDL with zero-touch tags: its model and the object it is mounted on. */
function uplink(devEui: string, fCnt: number, object: string, distanceMm: number): [string, Uint8Array] {
  const event = {
    deduplicationId: `d-${devEui}-${fCnt}`,
    time: new Date(T0 + fCnt * 60_000).toISOString(),
    deviceInfo: { devEui, applicationId: 'app', deviceName: devEui, tags: { model: EM310, object } },
    devAddr: '01020304',
    fCnt,
    fPort: 85,
    dr: 5,
    data: Buffer.from([0x01, 0x75, 80, 0x03, 0x82, distanceMm & 0xff, distanceMm >> 8, 0x04, 0x00, 0x00]).toString(
      'base64',
    ),
    rxInfo: [{ gatewayId: '0016c001f153a14c', rssi: -100, snr: 5 }],
    txInfo: { frequency: 868_100_000 },
  };
  return [`application/app/device/${devEui}/event/up`, Buffer.from(JSON.stringify(event))];
}

describe.each(ENGINES)('device bindings and their history on %s', async (_name, open) => {
  const db = await open();
  await migrate(db);
  afterAll(() => db.close());
  // Numbers and devEuis of this run's own, so runs against a shared database do not meet.
  const run = randomBytes(3).toString('hex');
  const objectA = `СМ-${run}-00001`;
  const objectB = `СМ-${run}-00002`;
  const devEui = () => randomBytes(8).toString('hex');
  const objectsOf = async (dev: string) =>
    (
      await db.query<{ object_number: string | null; n: number }>(
        'SELECT object_number, count(*)::int AS n FROM readings WHERE dev_eui = $1 GROUP BY 1 ORDER BY 1',
        [dev],
      )
    ).rows;

  it('records a zero-touch adoption, a move and an unbind; readings keep the object they were taken at', async () => {
    const dev = devEui();
    const registry = new DeviceRegistry(db);
    const ingest = new Ingest(db, registry, createIngestMetrics(), pino({ level: 'silent' }), {
      batchSize: 100,
      flushMs: 10,
      bufferLimit: 1000,
      writers: 1,
    });
    // Adopted from its first uplink's tags, bound to A.
    for (let fCnt = 1; fCnt <= 3; fCnt++) ingest.accept(...uplink(dev, fCnt, objectA, 500));
    await ingest.drain();
    // Moved to B by an operator; the registry of the process that moved it follows at once
    // (other processes' registries at their next refresh).
    const moved = await changeBinding(db, dev, objectB, { actor: 'operator-1', reason: 'move' });
    expect(moved?.objectNumber).toBe(objectB);
    if (moved) registry.remember(moved);
    // The tag still says A: a tag binds only at adoption; the registry owns the binding now.
    for (let fCnt = 4; fCnt <= 5; fCnt++) ingest.accept(...uplink(dev, fCnt, objectA, 700));
    await ingest.drain();
    await ingest.stop();

    // 4 readings per uplink (battery, distance, fill_level, tilt): 3 uplinks at A, 2 at B.
    expect(await objectsOf(dev)).toEqual([
      { object_number: objectA, n: 12 },
      { object_number: objectB, n: 8 },
    ]);

    await changeBinding(db, dev, null, { actor: 'operator-2', reason: 'unbind' });
    const history = await deviceBindings(db, dev, 10);
    expect(history).toMatchObject([
      {
        objectNumber: objectB,
        boundBy: 'operator-1',
        boundReason: 'move',
        unboundBy: 'operator-2',
        unboundReason: 'unbind',
      },
      {
        objectNumber: objectA,
        boundBy: null,
        boundReason: 'registered',
        unboundBy: 'operator-1',
        unboundReason: 'move',
      },
    ]);
    expect(history[0]?.unboundAt).not.toBeNull();
    expect((await objectBindings(db, [objectA], 10)).map((b) => b.devEui)).toEqual([dev]);
    // The old readings have not moved.
    expect(await objectsOf(dev)).toHaveLength(2);
  });

  it('records PATCH-style changes without a reason as changed, and an unchanged object not at all', async () => {
    const dev = devEui();
    await upsertDeviceRow(db, {
      devEui: dev,
      model: EM310,
      name: '',
      applicationId: '',
      objectNumber: null,
      settings: {},
    });
    expect(await deviceBindings(db, dev, 10)).toEqual([]);
    await updateDeviceRow(db, dev, { objectNumber: objectA });
    await updateDeviceRow(db, dev, { objectNumber: objectA, name: 'renamed' });
    await updateDeviceRow(db, dev, { name: 'renamed again' });
    const history = await deviceBindings(db, dev, 10);
    expect(history).toMatchObject([{ objectNumber: objectA, boundReason: 'changed', unboundAt: null }]);
    // Registering it again with another object (POST /devices replaces a registration) moves it.
    await upsertDeviceRow(db, {
      devEui: dev,
      model: EM310,
      name: '',
      applicationId: '',
      objectNumber: objectB,
      settings: {},
    });
    expect((await deviceBindings(db, dev, 10)).map((b) => [b.objectNumber, b.unboundReason])).toEqual([
      [objectB, null],
      [objectA, 'changed'],
    ]);
    await db.query('DELETE FROM devices WHERE dev_eui = $1', [dev]);
    expect((await deviceBindings(db, dev, 10))[0]).toMatchObject({ objectNumber: objectB, unboundReason: 'deleted' });
  });

  it('starts the history of devices bound before it existed', async () => {
    const dev = devEui();
    await upsertDeviceRow(db, {
      devEui: dev,
      model: EM310,
      name: '',
      applicationId: '',
      objectNumber: objectA,
      settings: {},
    });
    // As if the device predated migration 004: no history, then the migration runs.
    await db.query('DELETE FROM device_bindings WHERE dev_eui = $1', [dev]);
    await db.query("DELETE FROM schema_migrations WHERE name = '004_device_bindings.sql'");
    expect(await migrate(db)).toEqual(['004_device_bindings.sql']);
    expect(await deviceBindings(db, dev, 10)).toMatchObject([
      { objectNumber: objectA, boundReason: 'existing', unboundAt: null },
    ]);
  });

  it("reads the newest reading of each device's metrics, and what a moved device left behind", async () => {
    const [stay, move] = [devEui(), devEui()];
    for (const dev of [stay, move])
      await upsertDeviceRow(db, {
        devEui: dev,
        model: EM310,
        name: '',
        applicationId: '',
        objectNumber: objectA,
        settings: {},
      });
    const since = new Date(T0);
    const write = (dev: string, object: string, minutes: number, value: number) =>
      db.query(
        `INSERT INTO readings (time, dev_eui, object_number, metric, value)
         VALUES ($1, $2, $3, 'fill_level', $4), ($1, $2, $3, 'distance', $4 * 10)`,
        [new Date(T0 + minutes * 60_000), dev, object, value],
      );
    await write(stay, objectA, -10, 99); // before the window
    await write(stay, objectA, 1, 10);
    await write(stay, objectA, 2, 20);
    await write(move, objectA, 3, 30);
    await changeBinding(db, move, objectB, { actor: null, reason: 'move' });
    await write(move, objectB, 4, 40);
    await db.query('UPDATE devices SET last_seen = $2 WHERE dev_eui = $1 OR dev_eui = $3', [
      stay,
      new Date(T0 + 4 * 60_000),
      move,
    ]);
    const unbound = await devicesUnboundSince(db, since);
    expect(unbound).toContain(move);
    const rows = [
      ...(await latestReadings(db, {
        since,
        modelMetrics: [
          { model: EM310, metric: 'fill_level' },
          { model: EM310, metric: 'battery' },
        ],
        devEuis: [stay, move],
      })),
      ...(await latestReadingsPerObject(db, { since, devEuis: unbound })),
    ];
    const mine = rows
      .filter((r) => r.devEui === stay || r.devEui === move)
      .map((r) => [r.devEui === stay ? 'stay' : 'move', r.objectNumber, r.metric, r.value, r.timeMs - T0])
      .sort((a, b) => String(a).localeCompare(String(b)));
    expect(mine).toEqual(
      [
        // the newest of each device's metric, wherever it was taken
        ['stay', objectA, 'fill_level', 20, 120_000],
        ['move', objectB, 'fill_level', 40, 240_000],
        // and, for the device that moved, its newest at each object (distance included)
        ['move', objectA, 'distance', 300, 180_000],
        ['move', objectA, 'fill_level', 30, 180_000],
        ['move', objectB, 'distance', 400, 240_000],
        ['move', objectB, 'fill_level', 40, 240_000],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
    const statuses = await deviceStatusesSince(db, new Date(0));
    expect(statuses.find((s) => s.devEui === move)).toMatchObject({ objectNumber: objectB, lastSeenMs: T0 + 240_000 });
  });
});
