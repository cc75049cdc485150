import { eventTopic, findEncoder, type Marshaler, type SimDevice, uplinkEvent } from '@city/firmware-sim';
import { findCodec, type NormaliseContext } from '@city/ingest';

export const EM310 = 'milesight-iot/em310-udl';
export const EM310_FPORT = 85;
/** 2026-11-20T00:00:00Z: test uplinks are dated from here, one minute per frame counter step. */
export const STREAM_EPOCH_MS = Date.parse('2026-11-20T00:00:00Z');

/** A test device on a given ChirpStack application, numbered so devEuis never collide. */
export function testDevice(applicationId: string, n: number, tags: Record<string, string> = {}): SimDevice {
  const hex = n.toString(16).padStart(8, '0');
  return {
    devEui: `70b3d5${hex}ff`.slice(0, 16).padEnd(16, '0'),
    devAddr: hex,
    applicationId,
    name: `test-${n}`,
    profileName: 'test',
    tags,
  };
}

/** EM310-UDL payload: battery %, distance mm, tilt flag (Milesight channel format). */
export function em310Payload(battery: number, distanceMm: number, tilt = false): Uint8Array {
  return Uint8Array.from([
    0x01,
    0x75,
    battery,
    0x03,
    0x82,
    distanceMm & 0xff,
    distanceMm >> 8,
    0x04,
    0x00,
    tilt ? 1 : 0,
  ]);
}

export { eventTopic };

/**
 * A device's uplink number `fCnt` as ChirpStack publishes it: dated `fCnt` minutes after
 * STREAM_EPOCH_MS, so (devEui, time, fCnt) is unique per uplink, and a payload that varies.
 */
export function em310Uplink(device: SimDevice, fCnt: number, marshaler: Marshaler = 'json'): Uint8Array {
  return uplinkEvent(
    {
      device,
      time: new Date(STREAM_EPOCH_MS + fCnt * 60_000),
      fCnt,
      fPort: EM310_FPORT,
      data: em310Data(fCnt),
      gatewayId: '0016c001f153a14c',
      rssi: -70 - (fCnt % 40),
      snr: 7.5,
      frequency: 868_100_000,
      dr: 5,
      spreadingFactor: 7,
    },
    marshaler,
  );
}

/** The EM310-UDL payload of uplink `fCnt` in the stream: battery, distance and tilt vary with it. */
export function em310Data(fCnt: number): Uint8Array {
  return em310Payload(100 - (fCnt % 100), 250 + (fCnt % 700), fCnt % 50 === 49);
}

/**
 * How many reading rows ingest stores for one uplink: what the model's codec decodes and
 * normalises (radio figures live in `uplinks`, not in `readings`). Asked of the codec, not
 * hard-coded, so the fault suites keep counting right when a codec grows a metric.
 */
export function readingsPerUplink(
  model: string,
  fPort: number,
  bytes: Uint8Array,
  settings: NormaliseContext = {},
): number {
  const codec = findCodec(model);
  if (!codec) throw new Error(`no codec for ${model}`);
  const decoded = codec.decodeUplink({ fPort, bytes });
  if ('errors' in decoded) throw new Error(`${model} rejects the test payload: ${decoded.errors.join('; ')}`);
  return codec.toMetrics(decoded.data, settings).length;
}

/** A bin sensor that reports its fill level itself (the alarm tests' and benchmark's bins). */
export const WILSEN = 'pepperl-fuchs/wilsen-sonic-level';
const wilsen = findEncoder(WILSEN);

/** A WILSEN sensor's uplink `fCnt` at `timeMs`, reporting `fillPercent`, as ChirpStack publishes it (JSON). */
export function fillUplink(device: SimDevice, fCnt: number, timeMs: number, fillPercent: number): Uint8Array {
  if (!wilsen) throw new Error(`no encoder for ${WILSEN}`);
  return uplinkEvent(
    {
      device,
      time: new Date(timeMs),
      fCnt,
      fPort: wilsen.fPort,
      data: wilsen.encode({ fillinglvl: fillPercent, battery_vol: 3.6 }),
      gatewayId: '0016c001f153a14c',
      rssi: -80,
      snr: 7.5,
      frequency: 868_100_000,
      dr: 5,
      spreadingFactor: 7,
      // Derived from the frame, so a replay of it repeats the id as ChirpStack's would.
      deduplicationId: `00000000-0000-4000-a000-${String(fCnt).padStart(12, '0')}`,
    },
    'json',
  );
}
