import { type ByteReader, hexKey } from '../byte-reader.ts';
import { scaled } from '../decimals.ts';
import { defineCodec } from '../define-codec.ts';
import { metricsFrom } from '../normalise.ts';
import { walkRecords } from '../record-walk.ts';

type Xyz = { x: number; y: number; z: number };
type Gps = { latitude: number; longitude: number; altitude: number };

/** Keys are `<sensor>_<channel>`, e.g. `temperature_3`, as The Things Stack names them. */
export type LppData = Record<string, number | Xyz | Gps>;

const xyz =
  (divisor: number) =>
  (r: ByteReader): Xyz => ({
    x: scaled(r.i16be(), divisor),
    y: scaled(r.i16be(), divisor),
    z: scaled(r.i16be(), divisor),
  });

/** LPP type -> sensor name and value reader (IPSO object id − 3200), big-endian. */
const TYPES: Record<string, readonly [string, (r: ByteReader) => number | Xyz | Gps]> = {
  '00': ['digital_in', (r) => r.u8()],
  '01': ['digital_out', (r) => r.u8()],
  '02': ['analog_in', (r) => scaled(r.i16be(), 100)],
  '03': ['analog_out', (r) => scaled(r.i16be(), 100)],
  '65': ['luminosity', (r) => r.u16be()],
  '66': ['presence', (r) => r.u8()],
  '67': ['temperature', (r) => scaled(r.i16be(), 10)],
  '68': ['relative_humidity', (r) => scaled(r.u8(), 2)],
  '71': ['accelerometer', xyz(1000)],
  '73': ['barometric_pressure', (r) => scaled(r.u16be(), 10)],
  '86': ['gyrometer', xyz(100)],
  '88': [
    'gps',
    (r) => ({ latitude: scaled(r.i24be(), 1e4), longitude: scaled(r.i24be(), 1e4), altitude: scaled(r.i24be(), 100) }),
  ],
};

/** LPP records as The Things Stack decodes them; other models speaking LPP share this. */
export function decodeLpp(bytes: Uint8Array, warnings: string[]): LppData {
  return walkRecords(bytes, warnings, (r, out) => {
    const channel = r.u8();
    const type = r.u8();
    const known = TYPES[hexKey(type, 1)];
    if (!known) return `unknown LPP type 0x${hexKey(type, 1)} on channel ${channel}`;
    const [sensor, read] = known;
    out[`${sensor}_${channel}`] = read(r);
    return undefined;
  }) as LppData;
}

/** The lowest-channel number reading of a sensor, since a city metric has one value per uplink. */
function first(data: LppData, sensor: string): number | undefined {
  const keys = Object.keys(data)
    .filter((k) => k.startsWith(`${sensor}_`))
    .sort((a, b) => Number(a.slice(sensor.length + 1)) - Number(b.slice(sensor.length + 1)));
  const value = keys[0] === undefined ? undefined : data[keys[0]];
  return typeof value === 'number' ? value : undefined;
}

export const lpp = defineCodec<LppData>({
  model: 'cayenne/lpp',
  vendor: 'myDevices',
  name: 'Cayenne Low Power Payload (generic sensor node)',
  class: 'io',
  metrics: ['digital_input', 'analog_input', 'illuminance', 'motion', 'temperature', 'humidity', 'pressure'],
  decode: decodeLpp,
  toMetrics: (data) =>
    metricsFrom([
      ['digital_input', first(data, 'digital_in')],
      ['analog_input', first(data, 'analog_in')],
      ['illuminance', first(data, 'luminosity')],
      ['motion', first(data, 'presence')],
      ['temperature', first(data, 'temperature')],
      ['humidity', first(data, 'relative_humidity')],
      ['pressure', first(data, 'barometric_pressure')],
    ]),
});
