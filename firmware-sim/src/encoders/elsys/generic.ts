import { fieldsEncoder, i16be, scaled, tagged, u8, u16be } from '../fields.ts';
import { ByteWriter } from '../writer.ts';

/** Elsys sensors send on port 5 by default. */
export const ELSYS_FPORT = 5;

/** The generic Elsys `[type][value]` fields our models send; big-endian. */
export interface ElsysValues {
  /** °C, 0.1 steps */
  temperature?: number;
  /** % */
  humidity?: number;
  /** accelerometer, raw i8 counts; the three axes travel in one record */
  x?: number;
  y?: number;
  z?: number;
  /** lux */
  light?: number;
  /** PIR count */
  motion?: number;
  /** ppm */
  co2?: number;
  pulse1?: number;
  waterleak?: number;
}

const scalars = fieldsEncoder<Omit<ElsysValues, 'x' | 'y' | 'z'>>({
  temperature: tagged([0x01], scaled(10, i16be)),
  humidity: tagged([0x02], u8),
  light: tagged([0x04], u16be),
  motion: tagged([0x05], u8),
  co2: tagged([0x06], u16be),
  pulse1: tagged([0x0a], u16be),
  waterleak: tagged([0x12], u8),
});

export function encodeElsys(values: ElsysValues): Uint8Array {
  const { x, y, z } = values;
  if (x === undefined && y === undefined && z === undefined) return scalars(values);
  if (x === undefined || y === undefined || z === undefined) throw new RangeError('x, y and z are sent together');
  return new ByteWriter().bytes(scalars(values)).u8(0x03).i8(x).i8(y).i8(z).toBytes();
}
