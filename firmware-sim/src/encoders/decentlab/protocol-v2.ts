import { ByteWriter } from '../writer.ts';

/** Decentlab decoders return each reading as `{displayName, unit, value}`; the wire carries the value. */
export interface Measurement {
  value: number;
}

export interface DecentlabValues {
  /** u16 */
  device_id: number;
}

type MeasurementKey<V> = { [K in keyof V]-?: Exclude<V[K], undefined> extends Measurement ? K : never }[keyof V];

/**
 * The readings behind one flag bit, in wire order, each with its conversion to the u16 sent.
 * A sensor group is measured and sent as a whole, so its fields are all present or all absent.
 */
export type SensorGroup<V> = readonly (readonly [key: MeasurementKey<V>, toWire: (value: number) => number])[];

/** Version 2, device id, flags, then the u16 BE values of each group whose flag bit is set. */
export function encodeDecentlab<V extends DecentlabValues>(values: V, groups: readonly SensorGroup<V>[]): Uint8Array {
  const body = new ByteWriter();
  let flags = 0;
  groups.forEach((group, bit) => {
    const wire = group
      .map(([key, toWire]) => {
        const reading = values[key] as Measurement | undefined;
        return reading === undefined ? undefined : Math.round(toWire(reading.value));
      })
      .filter((raw): raw is number => raw !== undefined);
    if (wire.length === 0) return;
    if (wire.length < group.length) {
      throw new RangeError(`${group.map(([key]) => String(key)).join(', ')} are sent together`);
    }
    flags |= 1 << bit;
    for (const raw of wire) body.u16be(raw);
  });
  return new ByteWriter().u8(2).u16be(values.device_id).u16be(flags).bytes(body.toBytes()).toBytes();
}
