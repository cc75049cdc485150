import type { Reading } from './reading.ts';

/**
 * The payload of a readings message (READINGS_TOPIC): one committed batch, or a slice of a large
 * one, in a compact binary form. It is encoded on ingest's commit path for every batch, so it is
 * built for that: JSON of the same batch took ~5 µs an uplink to write, this well under one.
 *
 * Little-endian throughout:
 *   u8 version (1)
 *   u8 M, then M metric names: u8 length, UTF-8
 *   u32 S, then S texts (devEuis and object numbers): u16 length, UTF-8
 *   u32 F, then F frames - one frame's readings share time, device and object:
 *     f64 timeMs, u32 device (text index), i32 object (text index, -1 for none),
 *     u8 n, then n readings: u8 metric (name index), f64 value
 */
export const READINGS_MESSAGE_VERSION = 1;

/** Frames per message: keeps a message of a full batch (BATCH_SIZE uplinks) to about 100 KB. */
export const READINGS_MESSAGE_FRAMES = 1000;

/** Longest text (devEui, object number, metric) a message carries, in bytes. */
const MAX_TEXT_BYTES = 255;

// TextDecoder rather than Buffer: contracts run in browsers too.
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** One message: its payload and how many readings it carries. */
export interface ReadingsMessage {
  payload: Uint8Array;
  readings: number;
}

/** The messages that carry `readings`, in order; none for none. */
export function encodeReadings(
  readings: readonly Reading[],
  framesPerMessage = READINGS_MESSAGE_FRAMES,
): ReadingsMessage[] {
  const messages: ReadingsMessage[] = [];
  let start = 0;
  while (start < readings.length) {
    // The readings of the next `framesPerMessage` frames.
    let end = start;
    for (let frames = 0; end < readings.length; end++) {
      if (end === start || newFrame(readings[end - 1] as Reading, readings[end] as Reading)) {
        if (frames === framesPerMessage) break;
        frames++;
      }
    }
    messages.push({ payload: encodeSlice(readings, start, end), readings: end - start });
    start = end;
  }
  return messages;
}

function newFrame(previous: Reading, r: Reading): boolean {
  return r.timeMs !== previous.timeMs || r.devEui !== previous.devEui || r.objectNumber !== previous.objectNumber;
}

function encodeSlice(readings: readonly Reading[], start: number, end: number): Uint8Array {
  // First pass: the frames, and the texts and metric names they use, each once.
  const texts = new Map<string, number>();
  const textList: string[] = [];
  let textBytes = 0;
  const text = (value: string): number => {
    let index = texts.get(value);
    if (index === undefined) {
      const length = utf8Length(value);
      if (length === 0 || length > MAX_TEXT_BYTES) throw new RangeError(`readings message: text of ${length} bytes`);
      index = textList.length;
      textList.push(value);
      texts.set(value, index);
      textBytes += 2 + length;
    }
    return index;
  };
  const metrics = new Map<string, number>();
  let metricBytes = 0;
  const frameDevice = new Int32Array(end - start);
  const frameObject = new Int32Array(end - start);
  let frames = 0;
  for (let i = start; i < end; i++) {
    const r = readings[i] as Reading;
    if (i === start || newFrame(readings[i - 1] as Reading, r)) {
      frameDevice[frames] = text(r.devEui);
      frameObject[frames] = r.objectNumber === null ? -1 : text(r.objectNumber);
      frames++;
    }
    if (!metrics.has(r.metric)) {
      const length = utf8Length(r.metric);
      if (metrics.size === 255 || length === 0 || length > MAX_TEXT_BYTES)
        throw new RangeError('readings message: metric names');
      metrics.set(r.metric, metrics.size);
      metricBytes += 1 + length;
    }
  }
  // Second pass: write them.
  const out = new Uint8Array(2 + metricBytes + 4 + textBytes + 4 + frames * 17 + (end - start) * 9);
  const view = new DataView(out.buffer);
  let at = 0;
  out[at++] = READINGS_MESSAGE_VERSION;
  out[at++] = metrics.size;
  for (const name of metrics.keys()) at = writeUtf8(name, out, at + 1, at, 1);
  view.setUint32(at, textList.length, true);
  at += 4;
  for (const value of textList) at = writeUtf8(value, out, at + 2, at, 2);
  view.setUint32(at, frames, true);
  at += 4;
  let frame = -1;
  let countAt = 0;
  for (let i = start; i < end; i++) {
    const r = readings[i] as Reading;
    if (i === start || newFrame(readings[i - 1] as Reading, r)) {
      frame++;
      view.setFloat64(at, r.timeMs, true);
      view.setUint32(at + 8, frameDevice[frame] as number, true);
      view.setInt32(at + 12, frameObject[frame] as number, true);
      countAt = at + 16;
      at += 17;
    }
    if (out[countAt] === 255) throw new RangeError('readings message: more than 255 readings in a frame');
    out[countAt] = (out[countAt] as number) + 1;
    out[at] = metrics.get(r.metric) as number;
    view.setFloat64(at + 1, r.value, true);
    at += 9;
  }
  return out;
}

/** Bytes of `s` in UTF-8. (TextEncoder allocates per call: for thousands of short texts a batch, that cost more than the rest.) */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (isPair(s, i)) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** A high surrogate at `i` followed by a low one: one character of four UTF-8 bytes. */
function isPair(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  const next = s.charCodeAt(i + 1);
  return c >= 0xd800 && c < 0xdc00 && next >= 0xdc00 && next < 0xe000;
}

/**
 * Writes `s` as UTF-8 at `at`, and its byte length before it at `lengthAt` in `lengthBytes`
 * (1 or 2, little-endian); returns where the next field starts. A lone surrogate becomes U+FFFD,
 * as TextEncoder writes it.
 */
function writeUtf8(s: string, out: Uint8Array, at: number, lengthAt: number, lengthBytes: 1 | 2): number {
  const from = at;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) out[at++] = c;
    else if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else if (isPair(s, i)) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      out[at++] = 0xf0 | (c >> 18);
      out[at++] = 0x80 | ((c >> 12) & 0x3f);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    }
  }
  const length = at - from;
  out[lengthAt] = length & 0xff;
  if (lengthBytes === 2) out[lengthAt + 1] = length >> 8;
  return at;
}

export class ReadingsMessageError extends Error {}

/**
 * The readings of one message. Throws ReadingsMessageError on anything but a well-formed message
 * of this version: whoever may publish to the topic, a subscriber takes only readings.
 */
export function decodeReadings(payload: Uint8Array): Reading[] {
  try {
    return decode(payload);
  } catch (err) {
    if (err instanceof ReadingsMessageError) throw err;
    // DataView's RangeError (a message cut short), TextDecoder's TypeError (not UTF-8).
    throw new ReadingsMessageError(`malformed: ${(err as Error).message}`);
  }
}

function decode(payload: Uint8Array): Reading[] {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let at = 0;
  const version = view.getUint8(at++);
  if (version !== READINGS_MESSAGE_VERSION)
    throw new ReadingsMessageError(`version ${version} is not ${READINGS_MESSAGE_VERSION}`);
  const metrics: string[] = [];
  for (let m = view.getUint8(at++); m > 0; m--) {
    const length = view.getUint8(at++);
    if (length === 0 || at + length > payload.length) throw new ReadingsMessageError('a metric name is cut short');
    metrics.push(fromUtf8.decode(payload.subarray(at, at + length)));
    at += length;
  }
  const count = view.getUint32(at, true);
  at += 4;
  const texts: string[] = [];
  for (let s = 0; s < count; s++) {
    const length = view.getUint16(at, true);
    at += 2;
    if (length === 0 || length > MAX_TEXT_BYTES || at + length > payload.length)
      throw new ReadingsMessageError('a text is empty, too long or cut short');
    texts.push(fromUtf8.decode(payload.subarray(at, at + length)));
    at += length;
  }
  const readings: Reading[] = [];
  const frames = view.getUint32(at, true);
  at += 4;
  for (let f = 0; f < frames; f++) {
    const timeMs = view.getFloat64(at, true);
    const devEui = texts[view.getUint32(at + 8, true)];
    const object = view.getInt32(at + 12, true);
    const objectNumber = object === -1 ? null : texts[object];
    const n = view.getUint8(at + 16);
    at += 17;
    if (!Number.isFinite(timeMs) || devEui === undefined || objectNumber === undefined)
      throw new ReadingsMessageError('a frame names a time, device or object it does not hold');
    for (let i = 0; i < n; i++) {
      const metric = metrics[view.getUint8(at)];
      const value = view.getFloat64(at + 1, true);
      at += 9;
      if (metric === undefined || !Number.isFinite(value))
        throw new ReadingsMessageError('a reading names a metric it does not hold, or is not a number');
      readings.push({ timeMs, devEui, objectNumber, metric, value });
    }
  }
  if (at !== payload.length) throw new ReadingsMessageError('bytes after the last frame');
  return readings;
}
