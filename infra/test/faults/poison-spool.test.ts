import { migrate } from '@city/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, waitFor } from '../support/engines.ts';
import { EM310, em310Uplink, eventTopic, testDevice } from '../support/fleet.ts';
import { type KillableIngest, startKillableIngest } from '../support/killable-ingest.ts';
import { type Frame, publishSteadily } from '../support/stream.ts';

const GOOD = 300;
const FLEET = 10;
/** The frame counter the database refuses (a CHECK constraint of this test's own). */
const POISON_FCNT = 666;

/**
 * A frame that every check of ingest passes but the database refuses (here: a CHECK constraint
 * the test adds, standing for any value validation does not foresee) sits in the spool when
 * ingest is killed. Before, the restart replayed it into a batch that failed forever, and the
 * API never came up; now the batch is split, the frame dead-lettered, and the rest committed.
 */
describe('poison in the spool', () => {
  let rig: KillableIngest;
  beforeAll(async () => {
    rig = await startKillableIngest({
      name: 'poison',
      // Nothing is committed before the kill: every frame, the poison too, is only in the spool.
      flushMs: 600_000,
      prepare: async (db) => {
        await migrate(db);
        await db.query(`ALTER TABLE uplinks ADD CONSTRAINT test_poison CHECK (f_cnt <> ${POISON_FCNT})`);
      },
    });
  });
  afterAll(() => rig?.close());

  it('starts healthy within 60 s after kill -9, with the poison dead-lettered and the rest stored', async () => {
    const { db, applicationId } = rig;
    const device = (i: number) => testDevice(applicationId, 1 + (i % FLEET), { model: EM310 });
    const frames: Frame[] = Array.from({ length: GOOD }, (_, i) => ({
      topic: eventTopic(device(i), 'up'),
      payload: em310Uplink(device(i), Math.floor(i / FLEET)),
    }));
    const poisoned = device(0);
    frames.splice(GOOD / 2, 0, { topic: eventTopic(poisoned, 'up'), payload: em310Uplink(poisoned, POISON_FCNT) });
    await publishSteadily(rig.publisher, frames.length, 1_000, (i) => frames[i] as Frame).done;
    await rig.kill();
    expect(await count(db, 'uplinks')).toBe(0);

    const restarted = Date.now();
    const ingest = await rig.restart();
    await waitFor(
      'a healthy ingest',
      async () => (await fetch(`http://127.0.0.1:${ingest.port}/api/v1/health`)).status === 200,
      60_000,
    );
    const healthyAfter = Date.now() - restarted;
    expect(healthyAfter).toBeLessThan(60_000);
    console.info(`poison in the spool: healthy ${(healthyAfter / 1000).toFixed(1)} s after the restart`);
    expect(ingest.output()).toMatch(/"frames":301,"msg":"replaying frames/);

    expect(await count(db, 'uplinks')).toBe(GOOD);
    const { rows } = await db.query<{ reason: string; detail: string; dev_eui: string | null }>(
      'SELECT reason, detail FROM dead_letters',
    );
    expect(rows).toEqual([{ reason: 'refused_by_database', detail: expect.stringContaining('test_poison') }]);
    await ingest.stop('SIGTERM');
  }, 120_000);
});
