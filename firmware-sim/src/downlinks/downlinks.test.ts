import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { makeFleet } from '../fleet.ts';
import { Simulation } from '../simulation.ts';
import { readDownlink } from './frames.ts';
import { type DownlinkClient, listenForDownlinks, parseDownlink } from './listener.ts';

const WS52X = 'milesight-iot/ws52x';
const DIMMER = 'cayenne/lpp-dimmer';
const APP = 'sim-test';
/** 22:00 in Zaporizhzhia: the photocells have the lamps on. */
const NIGHT = Date.parse('2026-11-30T20:00:00Z');

/** An MQTT client as the listener sees it: what a test publishes reaches its `message` listeners. */
class FakeClient extends EventEmitter implements DownlinkClient {
  readonly subscribed: string[] = [];
  async subscribeAsync(topic: string) {
    this.subscribed.push(topic);
  }
  async unsubscribeAsync(topic: string) {
    this.subscribed.splice(this.subscribed.indexOf(topic), 1);
  }
  deliver(devEui: string, message: unknown) {
    const payload = typeof message === 'string' ? message : JSON.stringify(message);
    this.emit('message', `application/${APP}/device/${devEui}/command/down`, Buffer.from(payload));
  }
}

const downlink = (devEui: string, bytes: number[], fPort = 85) => ({
  devEui,
  confirmed: false,
  fPort,
  data: Buffer.from(bytes).toString('base64'),
});

/** The WS52x relay record (`08 70 xx`) of an uplink payload: 1 closed (on), 0 open. */
function relayOf(payload: Uint8Array): number | undefined {
  for (let i = 0; i + 2 < payload.length; i++)
    if (payload[i] === 0x08 && payload[i + 1] === 0x70) return payload[i + 2];
  return undefined;
}

/** What the LPP dimmer reports: relay (`01 01 xx`), level % (`01 03 hi lo`), power W (`02 02 hi lo`). */
function lampOf(payload: Uint8Array): { relay?: number; level?: number; watts?: number } {
  const out: { relay?: number; level?: number; watts?: number } = {};
  const i16 = (at: number) => (((payload[at] as number) << 8) | (payload[at + 1] as number)) / 100;
  // Its records: digital output (1 value byte), analog output and inputs (2 bytes each).
  for (let i = 0; i + 2 < payload.length; i += payload[i + 1] === 0x01 ? 3 : 4) {
    const record = `${payload[i]}:${payload[i + 1]}`;
    if (record === '1:1') out.relay = payload[i + 2];
    if (record === '1:3') out.level = i16(i + 2);
    if (record === '2:2') out.watts = i16(i + 2);
  }
  return out;
}

describe('downlink frames as the simulated firmware reads them', () => {
  it('reads the WS52x socket control and the report interval', () => {
    expect(readDownlink(WS52X, 85, Uint8Array.of(0x08, 0x01, 0x00, 0xff))).toEqual({
      actions: [{ type: 'switch', channel: 1, on: true }],
    });
    expect(readDownlink(WS52X, 85, Uint8Array.of(0x08, 0x00, 0x00, 0xff, 0xff, 0x03, 0xb0, 0x04))).toEqual({
      actions: [
        { type: 'switch', channel: 1, on: false },
        { type: 'report_interval', seconds: 1200 },
      ],
    });
  });

  it('reads the WS558 circuit mask', () => {
    expect(readDownlink('milesight-iot/ws558', 85, Uint8Array.of(0x08, 0x41, 0x01))).toEqual({
      actions: [
        { type: 'switch', channel: 1, on: true },
        { type: 'switch', channel: 7, on: false },
      ],
    });
  });

  it('reads the LPP dimmer’s relay and level records', () => {
    expect(readDownlink(DIMMER, 1, Uint8Array.of(0x01, 0x01, 0x01, 0x01, 0x03, 0x0f, 0xa0))).toEqual({
      actions: [
        { type: 'switch', channel: 1, on: true },
        { type: 'dim', channel: 1, level: 40 },
      ],
    });
    for (const bad of [
      [0x01, 0x03, 0x27, 0x11],
      [0x02, 0x01, 0x01],
      [0x01, 0x01, 0x02],
      [0x01, 0x03, 0x0f],
      [0x01, 0x67, 0x00, 0x10],
    ]) {
      expect(readDownlink(DIMMER, 1, Uint8Array.from(bad)), bad.join(' ')).toHaveProperty('error');
    }
    expect(readDownlink(DIMMER, 85, Uint8Array.of(0x01, 0x01, 0x01))).toHaveProperty('error');
  });

  it('drops what the firmware would not take', () => {
    expect(readDownlink(WS52X, 10, Uint8Array.of(0x08, 0x01, 0x00, 0xff))).toHaveProperty('error');
    expect(readDownlink(WS52X, 85, Uint8Array.of(0x08, 0x02, 0x00, 0xff))).toHaveProperty('error');
    expect(readDownlink(WS52X, 85, Uint8Array.of(0x08, 0x01))).toHaveProperty('error');
    expect(readDownlink(WS52X, 85, Uint8Array.of(0x42))).toHaveProperty('error');
    expect(readDownlink('milesight-iot/em310-udl', 85, Uint8Array.of(0x08, 0x01, 0x00, 0xff))).toHaveProperty('error');
  });

  it('parses only well-formed ChirpStack JSON downlinks', () => {
    const eui = '0011223344556677';
    expect(parseDownlink(eui, Buffer.from(JSON.stringify(downlink(eui, [8, 1, 0, 255]))))).toEqual({
      fPort: 85,
      bytes: Uint8Array.of(8, 1, 0, 255),
    });
    for (const bad of [
      'not json',
      '[1]',
      JSON.stringify({ ...downlink(eui, [8]), devEui: 'ffffffffffffffff' }),
      JSON.stringify({ ...downlink(eui, [8]), fPort: 0 }),
      JSON.stringify({ ...downlink(eui, [8]), data: '***' }),
      JSON.stringify({ devEui: eui, fPort: 85, object: { on: true } }),
      JSON.stringify({ ...downlink(eui, []) }),
      JSON.stringify({ ...downlink(eui, [8]), pad: 'x'.repeat(3000) }),
    ]) {
      expect(parseDownlink(eui, Buffer.from(bad))).toHaveProperty('error');
    }
    expect(parseDownlink('../../etc', Buffer.from('{}'))).toHaveProperty('error');
  });
});

describe('a simulated streetlight controller taking a command', () => {
  /**
   * A night-time fleet listening for downlinks, with its first controller of `model`; `nextUplinkOf`
   * plays the simulation until that controller's next uplink.
   */
  async function listeningPole(model: string) {
    const fleet = makeFleet({ seed: 7, applicationId: APP, start: NIGHT, count: 400 });
    const pole = fleet.find((d) => d.model === model);
    if (!pole) throw new Error(`no ${model} in the fleet`);
    const sim = new Simulation(fleet, NIGHT, 7);
    const client = new FakeClient();
    const seen: unknown[] = [];
    const listener = await listenForDownlinks(client, fleet, sim, {
      applicationId: APP,
      onDownlink: (d) => seen.push(d),
    });
    const nextUplinkOf = (untilMs: number) => {
      for (let e = sim.next(untilMs); e; e = sim.next(untilMs)) {
        if (e.type === 'up' && e.device === pole) return e.uplink;
      }
      return undefined;
    };
    return { pole, sim, client, seen, listener, nextUplinkOf };
  }

  it('switches its lamp, reports it soon after, and goes back to its photocell at the next switch', async () => {
    const { pole, sim, client, seen, listener, nextUplinkOf } = await listeningPole(WS52X);
    expect(client.subscribed).toEqual([`application/${APP}/device/+/command/down`]);
    // Lit at night, as the photocell says.
    expect(relayOf(nextUplinkOf(NIGHT + 1_000_000)?.data ?? new Uint8Array())).toBe(1);

    client.deliver(pole.devEui, downlink(pole.devEui, [0x08, 0x00, 0x00, 0xff]));
    expect(seen.at(-1)).toEqual({ devEui: pole.devEui, done: ['lamp off'] });
    const reply = nextUplinkOf(sim.now + 5000);
    expect(reply?.time.getTime()).toBeLessThanOrEqual(sim.now);
    expect(relayOf(reply?.data ?? new Uint8Array())).toBe(0);
    // Off until dawn; after the next dusk the photocell rules again.
    expect(relayOf(nextUplinkOf(sim.now + 3_600_000)?.data ?? new Uint8Array())).toBe(0);
    const nextNight = NIGHT + 86_400_000;
    while (sim.next(nextNight));
    expect(relayOf(nextUplinkOf(nextNight + 1_000_000)?.data ?? new Uint8Array())).toBe(1);

    client.deliver(pole.devEui, 'garbage');
    client.deliver('ffffffffffffffff', downlink('ffffffffffffffff', [0x08, 0x01, 0x00, 0xff]));
    expect({ applied: listener.applied, dropped: listener.dropped }).toEqual({ applied: 1, dropped: 2 });
    await listener.stop();
    expect(client.subscribed).toEqual([]);
  });

  it('dims its lamp: the next uplink reports the level and draws that share of the load', async () => {
    const { pole, sim, client, seen, listener, nextUplinkOf } = await listeningPole(DIMMER);
    const full = lampOf(nextUplinkOf(NIGHT + 1_000_000)?.data ?? new Uint8Array());
    expect(full).toMatchObject({ relay: 1, level: 100 });

    client.deliver(pole.devEui, downlink(pole.devEui, [0x01, 0x01, 0x01, 0x01, 0x03, 0x0b, 0xb8], 1));
    expect(seen.at(-1)).toEqual({ devEui: pole.devEui, done: ['lamp on', 'lamp dimmed to 30 %'] });
    const dimmed = lampOf(nextUplinkOf(sim.now + 5000)?.data ?? new Uint8Array());
    expect(dimmed).toMatchObject({ relay: 1, level: 30 });
    expect(full.watts).toBeGreaterThan(0);
    expect(dimmed.watts).toBeCloseTo((full.watts as number) * 0.3, 1);
    await listener.stop();
  });
});
