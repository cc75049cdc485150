import { createHash } from 'node:crypto';
import gw from '@chirpstack/chirpstack-api/gw/gw_pb.js';
import { describe, expect, it } from 'vitest';
import { demoCity } from './city/index.ts';
import { type FleetDevice, makeFleet } from './fleet.ts';
import { decryptFrmPayload, parsePhyPayload, verifyDataMic } from './lorawan/frames.ts';
import { OUTPUTS } from './outputs/index.ts';
import { runFleet } from './player.ts';
import { type SimEvent, Simulation } from './simulation.ts';

const START = Date.parse('2026-03-02T06:00:00Z');
const HOUR = 3_600_000;
const json = OUTPUTS.chirpstack({ marshaler: 'json' });
/** One city for every test (generating it is the slow part); fleets on it differ by seed. */
const CITY = demoCity(1, 400);
const fleetFor = (seed: number, count = 400) =>
  makeFleet({ seed, applicationId: 'test', start: START, city: CITY, count });

function events(
  seed: number,
  hours: number,
  fleet = makeFleet({ seed, applicationId: 'test', start: START, count: 400 }),
) {
  const sim = new Simulation(fleet, START, seed);
  const out: SimEvent[] = [];
  for (let e = sim.next(START + hours * HOUR); e; e = sim.next(START + hours * HOUR)) out.push(e);
  return out;
}

function digest(list: SimEvent[]): string {
  const hash = createHash('sha256');
  for (const e of list) for (const m of json.messages(e)) hash.update(m.topic).update(m.payload);
  return hash.digest('hex');
}

describe('simulation', () => {
  it('replays the same events, byte for byte, from the same seed', () => {
    const a = events(1, 3);
    expect(a.length).toBeGreaterThan(500);
    expect(digest(events(1, 3))).toBe(digest(a));
    expect(digest(events(2, 3))).not.toBe(digest(a));
  });

  it('sends each device at its interval, counting fCnt up from 0, in time order', () => {
    const list = events(3, 6);
    const byDevice = new Map<FleetDevice, { ms: number; fCnt: number }[]>();
    let last = 0;
    for (const e of list) {
      if (e.type !== 'up') continue;
      const ms = e.uplink.time.getTime();
      expect(ms).toBeGreaterThanOrEqual(last);
      last = ms;
      byDevice.set(e.device, [...(byDevice.get(e.device) ?? []), { ms, fCnt: e.uplink.fCnt }]);
    }
    for (const [device, ups] of byDevice) {
      ups.forEach((u, i) => {
        expect(u.fCnt).toBe(i);
        if (i > 0) expect(u.ms - (ups[i - 1] as { ms: number }).ms).toBe(device.intervalS * 1000);
      });
    }
  });

  it('tags every event with the model and the object number for zero-touch binding', () => {
    for (const e of events(4, 1).slice(0, 50)) {
      const [message] = json.messages(e);
      const event = JSON.parse(Buffer.from(message?.payload ?? []).toString());
      expect(event.deviceInfo.tags).toEqual({ model: e.device.model, object: e.device.objectNumber });
    }
  });

  it('sends LoRaWAN frames a network server can check and decrypt', () => {
    const gateway = OUTPUTS.gateway();
    for (const e of events(5, 1).slice(0, 50)) {
      if (e.type !== 'up') continue;
      const [message] = gateway.messages(e);
      expect(message?.topic).toBe(`eu868/gateway/${e.device.link.gatewayId}/event/up`);
      const frame = parsePhyPayload(framePhy(message?.payload ?? new Uint8Array()));
      if (!('fCnt' in frame)) throw new Error('not a data frame');
      expect(frame.devAddr).toBe(e.device.devAddr);
      expect(verifyDataMic(frame, e.device.keys.nwkSKey)).toBe(true);
      expect(Buffer.from(decryptFrmPayload(frame, e.device.keys))).toEqual(Buffer.from(e.uplink.data));
    }
  });
});

/** The PHYPayload inside a gw.UplinkFrame. */
function framePhy(bytes: Uint8Array): Uint8Array {
  return (gw.UplinkFrame.deserializeBinary(bytes) as { getPhyPayload_asU8(): Uint8Array }).getPhyPayload_asU8();
}

describe('player', () => {
  it('plays a simulated hour as fast as the broker takes it, the same events as the simulation', async () => {
    const fleet = () => fleetFor(6);
    const published: Uint8Array[] = [];
    const run = runFleet(fleet(), async (_topic, payload) => published.push(payload), {
      speed: Number.POSITIVE_INFINITY,
      seed: 6,
      start: START,
      durationMs: HOUR,
      output: json,
      window: 50,
    });
    await run.done;
    const expected = events(6, 1, fleet());
    expect(run.uplinks).toBe(expected.length);
    expect(published.length).toBe(expected.length);
    expect(run.simTime).toBe(START + HOUR);
  });

  it('stamps wall-clock time when asked, for a live dashboard', async () => {
    const published: Uint8Array[] = [];
    const run = runFleet(fleetFor(7, 100), async (_t, p) => published.push(p), {
      speed: Number.POSITIVE_INFINITY,
      seed: 7,
      start: START,
      durationMs: HOUR,
      output: json,
      timestamps: 'wall',
    });
    await run.done;
    const time = Date.parse(JSON.parse(Buffer.from(published[0] ?? []).toString()).time);
    expect(Math.abs(time - Date.now())).toBeLessThan(60_000);
  });
});
