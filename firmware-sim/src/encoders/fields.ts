import { ByteWriter, scale } from './writer.ts';

/** Writes one field's value (and whatever header the format puts before it). */
export type ValueWriter<T> = (w: ByteWriter, value: T) => void;

/** A writer for every field of `V`, listed in the order the firmware sends them. */
export type FieldWriters<V> = { [K in keyof V]-?: ValueWriter<Exclude<V[K], undefined>> };

/** Writes each present field of a tag-length-value style payload; absent fields are not sent. */
export function writeFields<V extends object>(w: ByteWriter, values: V, writers: FieldWriters<V>): ByteWriter {
  for (const key of Object.keys(writers) as (keyof V)[]) {
    const value = values[key];
    if (value !== undefined) writers[key](w, value as Exclude<V[keyof V], undefined>);
  }
  return w;
}

export function fieldsEncoder<V extends object>(writers: FieldWriters<V>): (values: V) => Uint8Array {
  return (values) => writeFields(new ByteWriter(), values, writers).toBytes();
}

export const u8: ValueWriter<number> = (w, v) => w.u8(v);
export const i8: ValueWriter<number> = (w, v) => w.i8(v);
export const u16le: ValueWriter<number> = (w, v) => w.u16le(v);
export const i16le: ValueWriter<number> = (w, v) => w.i16le(v);
export const u32le: ValueWriter<number> = (w, v) => w.u32le(v);
export const u16be: ValueWriter<number> = (w, v) => w.u16be(v);
export const i16be: ValueWriter<number> = (w, v) => w.i16be(v);
export const u32be: ValueWriter<number> = (w, v) => w.u32be(v);
export const i32be: ValueWriter<number> = (w, v) => w.i32be(v);
export const f32be: ValueWriter<number> = (w, v) => w.f32be(v);
export const ascii: ValueWriter<string> = (w, v) => w.ascii(v);

/** A value sent in units of 1/factor: `scaled(10, i16le)` sends 21.5 °C as 215. */
export function scaled(factor: number, write: ValueWriter<number>): ValueWriter<number> {
  return (w, v) => write(w, scale(v, factor));
}

/** A label sent as a one-byte code, e.g. `{ normal: 0, tilt: 1 }`. */
export function code<T extends string>(codes: Record<T, number>): ValueWriter<T> {
  return (w, v) => w.u8(codes[v]);
}

/** Fixed header bytes (channel, type, record id) before the value. */
export function tagged<T>(header: readonly number[], write: ValueWriter<T>): ValueWriter<T> {
  return (w, v) => {
    for (const byte of header) w.u8(byte);
    write(w, v);
  };
}
