import type { Random } from '../../random.ts';
import type { Encoder } from '../encoder.ts';
import { i16be, scaled, u8, u16be, type ValueWriter } from '../fields.ts';
import { ByteWriter, scale } from '../writer.ts';

export interface Xyz {
  x: number;
  y: number;
  z: number;
}

export interface Gps {
  /** degrees, 1e-4 steps */
  latitude: number;
  longitude: number;
  /** m, 0.01 steps */
  altitude: number;
}

/** What each LPP sensor type reports, by The Things Stack's sensor name. */
interface Sensors {
  digital_in: number;
  digital_out: number;
  /** 0.01 steps */
  analog_in: number;
  analog_out: number;
  /** lux */
  luminosity: number;
  presence: number;
  /** °C, 0.1 steps */
  temperature: number;
  /** %, 0.5 steps */
  relative_humidity: number;
  /** g, 0.001 steps */
  accelerometer: Xyz;
  /** hPa, 0.1 steps */
  barometric_pressure: number;
  /** °/s, 0.01 steps */
  gyrometer: Xyz;
  gps: Gps;
}
type Sensor = keyof Sensors;

/** Readings keyed `<sensor>_<channel>`, e.g. `temperature_3`, as The Things Stack names them. */
export type LppValues = { [S in Sensor as `${S}_${number}`]?: Sensors[S] };

function xyz(factor: number): ValueWriter<Xyz> {
  return (w, v) => w.i16be(scale(v.x, factor)).i16be(scale(v.y, factor)).i16be(scale(v.z, factor));
}

const gps: ValueWriter<Gps> = (w, v) =>
  w.i24be(scale(v.latitude, 1e4)).i24be(scale(v.longitude, 1e4)).i24be(scale(v.altitude, 100));

/** LPP type code (IPSO object id − 3200) and value writer per sensor. */
const TYPES: { [S in Sensor]: readonly [code: number, write: ValueWriter<Sensors[S]>] } = {
  digital_in: [0x00, u8],
  digital_out: [0x01, u8],
  analog_in: [0x02, scaled(100, i16be)],
  analog_out: [0x03, scaled(100, i16be)],
  luminosity: [0x65, u16be],
  presence: [0x66, u8],
  temperature: [0x67, scaled(10, i16be)],
  relative_humidity: [0x68, scaled(2, u8)],
  accelerometer: [0x71, xyz(1000)],
  barometric_pressure: [0x73, scaled(10, u16be)],
  gyrometer: [0x86, xyz(100)],
  gps: [0x88, gps],
};

function isSensor(name: string): name is Sensor {
  return Object.hasOwn(TYPES, name);
}

function writeReading<S extends Sensor>(w: ByteWriter, sensor: S, channel: number, value: Sensors[S]): void {
  const [code, write] = TYPES[sensor];
  w.u8(channel).u8(code);
  write(w, value);
}

const RANDOM: { [S in Sensor]: (rng: Random) => Sensors[S] } = {
  digital_in: (rng) => rng.int(0, 1),
  digital_out: (rng) => rng.int(0, 1),
  analog_in: (rng) => rng.decimal(-50, 50, 2),
  analog_out: (rng) => rng.decimal(-50, 50, 2),
  luminosity: (rng) => rng.int(0, 60_000),
  presence: (rng) => rng.int(0, 1),
  temperature: (rng) => rng.decimal(-30, 50, 1),
  relative_humidity: (rng) => rng.steps(0, 100, 2),
  accelerometer: (rng) => ({ x: rng.decimal(-2, 2, 3), y: rng.decimal(-2, 2, 3), z: rng.decimal(-2, 2, 3) }),
  barometric_pressure: (rng) => rng.decimal(950, 1050, 1),
  gyrometer: (rng) => ({ x: rng.decimal(-250, 250, 2), y: rng.decimal(-250, 250, 2), z: rng.decimal(-250, 250, 2) }),
  gps: (rng) => ({
    latitude: rng.decimal(-90, 90, 4),
    longitude: rng.decimal(-180, 180, 4),
    altitude: rng.decimal(-100, 3000, 2),
  }),
};

export const lpp: Encoder<LppValues> = {
  model: 'cayenne/lpp',
  fPort: 1,
  encode: (values) => {
    const w = new ByteWriter();
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const match = /^([a-z_]+)_(\d+)$/.exec(key);
      const sensor = match?.[1];
      if (!match || sensor === undefined || !isSensor(sensor)) throw new RangeError(`not an LPP reading: ${key}`);
      writeReading(w, sensor, Number(match[2]), value);
    }
    return w.toBytes();
  },
  randomValues: (rng) => {
    const sensors = Object.keys(RANDOM) as Sensor[];
    const values: Record<string, unknown> = {};
    const channels = new Set<number>();
    for (let n = rng.int(1, 6); channels.size < n; ) channels.add(rng.int(0, 255));
    for (const channel of channels) {
      const sensor = rng.pick(sensors);
      values[`${sensor}_${channel}`] = RANDOM[sensor](rng);
    }
    return values as LppValues;
  },
};
