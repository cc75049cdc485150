import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, waitFor } from '../support/engines.ts';
import { EM310, em310Uplink, eventTopic, testDevice } from '../support/fleet.ts';
import { type KillableIngest, startKillableIngest } from '../support/killable-ingest.ts';
import { sleep } from '../support/net.ts';
import { type Frame, publishSteadily } from '../support/stream.ts';

const RATE = 300;
const TOTAL = RATE * 10;
const KILL_AFTER = RATE * 4;
const FLEET = 30;

function uplink(applicationId: string, i: number): Frame {
  const device = testDevice(applicationId, 1 + (i % FLEET), { model: EM310 });
  return { topic: eventTopic(device, 'up'), payload: em310Uplink(device, Math.floor(i / FLEET)) };
}

/**
 * The ingest process itself is killed (SIGKILL, no shutdown) while it holds frames it has
 * acknowledged to the broker but not yet committed: the spool gives them back on restart.
 * Commits are made rare (FLUSH_MS 3 s) so that the kill surely lands on acknowledged,
 * uncommitted frames.
 */
describe('ingest process killed mid-stream', () => {
  let rig: KillableIngest;
  beforeAll(async () => {
    rig = await startKillableIngest({ name: 'crash', flushMs: 3000 });
  });
  afterAll(() => rig?.close());

  it('stores every uplink exactly once after a SIGKILL and a restart', async () => {
    const { db, applicationId } = rig;
    const stream = publishSteadily(rig.publisher, TOTAL, RATE, (i) => uplink(applicationId, i));
    await waitFor('the kill point', async () => stream.acked >= KILL_AFTER, 30_000);
    await rig.kill();
    const committedAtKill = await count(db, 'uplinks');
    await sleep(1000);
    const ingest = await rig.restart();
    await stream.done;
    await waitFor(`${TOTAL} uplinks`, async () => (await count(db, 'uplinks')) >= TOTAL, 60_000);
    await sleep(500);
    expect(await count(db, 'uplinks')).toBe(TOTAL);
    expect(await count(db, '(SELECT DISTINCT dev_eui, time, f_cnt FROM uplinks) u')).toBe(TOTAL);
    // The kill landed on frames that were acknowledged but not committed, and the spool gave them back.
    expect(committedAtKill).toBeLessThan(KILL_AFTER);
    const replayed = /"frames":(\d+),"msg":"replaying frames/.exec(ingest.output());
    expect(Number(replayed?.[1] ?? 0)).toBeGreaterThan(0);
  });
});
