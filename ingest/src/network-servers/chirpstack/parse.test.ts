import { readFileSync } from 'node:fs';
import common from '@chirpstack/chirpstack-api/common/common_pb.js';
import gw from '@chirpstack/chirpstack-api/gw/gw_pb.js';
import integration from '@chirpstack/chirpstack-api/integration/integration_pb.js';
import timestamp from 'google-protobuf/google/protobuf/timestamp_pb.js';
import { describe, expect, it } from 'vitest';
import { FrameError } from '../../frame-error.ts';
import { parseChirpStackEvent } from './parse.ts';

const example = readFileSync(new URL('../../../../vectors/chirpstack/uplink-example.json', import.meta.url));

function errorOf(fn: () => unknown): FrameError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FrameError) return err;
    throw err;
  }
  throw new Error('expected a FrameError');
}

describe('ChirpStack JSON events', () => {
  it('parses the documented up event, omitted defaults as zero', () => {
    const e = parseChirpStackEvent('up', example);
    expect(e).toMatchObject({
      type: 'up',
      deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
      devAddr: '00189440',
      fCnt: 0,
      fPort: 1,
      dr: 1,
      adr: false,
      confirmed: false,
      rxInfo: [{ gatewayId: '0016c001f153a14c', rssi: -36, snr: 10.5 }],
      frequency: 867100000,
      device: {
        devEui: '0101010101010101',
        applicationId: '17c82e96-be03-4f38-aef3-f83d48582d97',
        tags: { key: 'value' },
      },
    });
    if (e.type !== 'up') throw new Error('not an uplink');
    expect([...e.data]).toEqual([0xaa]);
    expect(e.time.toISOString()).toBe('2022-07-18T09:34:15.775Z');
  });

  it('accepts leading whitespace and 64-bit integers written as strings', () => {
    const json = JSON.parse(example.toString()) as Record<string, unknown>;
    json.fCnt = '4294967295';
    const e = parseChirpStackEvent('up', Buffer.from(`\n  ${JSON.stringify(json)}`));
    expect(e).toMatchObject({ fCnt: 4294967295 });
  });

  it.each([
    ['fPort', 'x', /fPort: expected a number/],
    ['data', 'not base64!', /data: expected base64/],
    ['rxInfo', 5, /rxInfo: expected an array/],
    ['time', 'yesterday', /time: expected an RFC 3339 time/],
  ])('rejects %s = %j as an invalid event', (field, value, message) => {
    const json = JSON.parse(example.toString()) as Record<string, unknown>;
    json[field] = value;
    const err = errorOf(() => parseChirpStackEvent('up', Buffer.from(JSON.stringify(json))));
    expect(err.reason).toBe('invalid_event');
    expect(err.message).toMatch(message);
  });

  it('rejects a devEui that is not 16 hex digits', () => {
    const json = JSON.parse(example.toString()) as { deviceInfo: Record<string, unknown> };
    json.deviceInfo.devEui = 12345;
    expect(errorOf(() => parseChirpStackEvent('up', Buffer.from(JSON.stringify(json)))).reason).toBe('invalid_event');
  });

  it('tells unparseable bytes and unknown event types apart', () => {
    expect(errorOf(() => parseChirpStackEvent('up', Buffer.from('{"time":'))).reason).toBe('unparseable');
    expect(errorOf(() => parseChirpStackEvent('up', new Uint8Array())).reason).toBe('unparseable');
    expect(errorOf(() => parseChirpStackEvent('integration', example)).reason).toBe('unknown_event');
  });

  it('parses status, join, ack, txack, log and location events', () => {
    const deviceInfo = { devEui: '0101010101010101', tags: { model: 'x' } };
    const time = '2026-11-20T10:00:00Z';
    const json = (o: object) => Buffer.from(JSON.stringify({ time, deviceInfo, ...o }));
    expect(parseChirpStackEvent('status', json({ margin: 7, batteryLevel: 55.5 }))).toMatchObject({
      margin: 7,
      batteryLevel: 55.5,
      externalPowerSource: false,
      batteryLevelUnavailable: false,
    });
    expect(parseChirpStackEvent('join', json({ devAddr: '01020304' }))).toMatchObject({ devAddr: '01020304' });
    expect(parseChirpStackEvent('ack', json({ queueItemId: 'q', acknowledged: true, fCntDown: 3 }))).toMatchObject({
      acknowledged: true,
      fCntDown: 3,
    });
    expect(parseChirpStackEvent('txack', json({ downlinkId: 9, gatewayId: 'gw' }))).toMatchObject({
      downlinkId: 9,
      fCntDown: 0,
      gatewayId: 'gw',
    });
    expect(
      parseChirpStackEvent(
        'log',
        json({ level: 'ERROR', code: 'UPLINK_CODEC', description: 'd', context: { a: 'b' } }),
      ),
    ).toMatchObject({ level: 'ERROR', code: 'UPLINK_CODEC', context: { a: 'b' } });
    expect(
      parseChirpStackEvent(
        'location',
        json({ location: { latitude: 47.84, longitude: 35.14, source: 'GEO_RESOLVER_TDOA' } }),
      ),
    ).toMatchObject({ latitude: 47.84, longitude: 35.14, altitude: 0, source: 'GEO_RESOLVER_TDOA', accuracy: 0 });
  });
});

describe('ChirpStack Protobuf events', () => {
  const ts = new timestamp.Timestamp();
  ts.setSeconds(1_763_632_800);
  ts.setNanos(250_000_000);
  const info = () => {
    const d = new integration.DeviceInfo();
    d.setDevEui('0101010101010101');
    d.getTagsMap().set('model', 'milesight-iot/em310-udl');
    return d;
  };

  it('parses an up event with rxInfo and txInfo', () => {
    const m = new integration.UplinkEvent();
    m.setDeduplicationId('d');
    m.setTime(ts);
    m.setDeviceInfo(info());
    m.setFCnt(42);
    m.setFPort(85);
    m.setData(Uint8Array.from([1, 0x75, 90]));
    const rx = new gw.UplinkRxInfo();
    rx.setGatewayId('0016c001f153a14c');
    rx.setRssi(-97);
    // A 32-bit float on the wire: read back as the radio reported it, not -0.6000000238418579.
    rx.setSnr(-0.6);
    m.addRxInfo(rx);
    const tx = new gw.UplinkTxInfo();
    tx.setFrequency(868_100_000);
    m.setTxInfo(tx);
    const e = parseChirpStackEvent('up', m.serializeBinary());
    expect(e).toMatchObject({
      fCnt: 42,
      fPort: 85,
      frequency: 868_100_000,
      rxInfo: [{ gatewayId: '0016c001f153a14c', rssi: -97, snr: -0.6 }],
      device: { devEui: '0101010101010101', tags: { model: 'milesight-iot/em310-udl' } },
    });
    expect(e.time.toISOString()).toBe('2025-11-20T10:00:00.250Z');
  });

  it('parses status, join, ack, txack, log and location events', () => {
    const withBase = <
      T extends { setTime(t: timestamp.Timestamp): void; setDeviceInfo(d: integration.DeviceInfo): void },
    >(
      m: T,
    ) => {
      m.setTime(ts);
      m.setDeviceInfo(info());
      return m;
    };
    const status = withBase(new integration.StatusEvent());
    status.setMargin(5);
    status.setBatteryLevel(80);
    expect(parseChirpStackEvent('status', status.serializeBinary())).toMatchObject({ margin: 5, batteryLevel: 80 });
    const join = withBase(new integration.JoinEvent());
    join.setDevAddr('01020304');
    expect(parseChirpStackEvent('join', join.serializeBinary())).toMatchObject({ type: 'join', devAddr: '01020304' });
    const ack = withBase(new integration.AckEvent());
    ack.setAcknowledged(true);
    ack.setFCntDown(4);
    expect(parseChirpStackEvent('ack', ack.serializeBinary())).toMatchObject({ acknowledged: true, fCntDown: 4 });
    const txack = withBase(new integration.TxAckEvent());
    txack.setDownlinkId(12);
    expect(parseChirpStackEvent('txack', txack.serializeBinary())).toMatchObject({ downlinkId: 12, fCntDown: 0 });
    const log = withBase(new integration.LogEvent());
    log.setLevel(integration.LogLevel.WARNING);
    log.setCode(integration.LogCode.UPLINK_CODEC);
    log.getContextMap().set('k', 'v');
    expect(parseChirpStackEvent('log', log.serializeBinary())).toMatchObject({
      level: 'WARNING',
      code: 'UPLINK_CODEC',
      context: { k: 'v' },
    });
    const location = withBase(new integration.LocationEvent());
    const loc = new common.Location();
    loc.setLatitude(47.84);
    loc.setLongitude(35.14);
    loc.setSource(common.LocationSource.GPS);
    location.setLocation(loc);
    expect(parseChirpStackEvent('location', location.serializeBinary())).toMatchObject({
      latitude: 47.84,
      longitude: 35.14,
      source: 'GPS',
    });
  });

  it('calls a truncated or random message unparseable, never throws anything else', () => {
    const m = new integration.UplinkEvent();
    m.setDeduplicationId('a-long-deduplication-identifier');
    m.setTime(ts);
    m.setDeviceInfo(info());
    const bytes = m.serializeBinary();
    const err = errorOf(() => parseChirpStackEvent('up', bytes.subarray(0, bytes.length - 5)));
    expect(['unparseable', 'invalid_event']).toContain(err.reason);
    expect(errorOf(() => parseChirpStackEvent('up', Uint8Array.from([0xff, 0xff, 0xff]))).reason).toBe('unparseable');
  });
});
