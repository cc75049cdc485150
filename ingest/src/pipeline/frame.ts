import { findCodec } from '../codecs/index.ts';
import type { MetricValue } from '../contract/codec.ts';
import { routeTopic } from '../contract/topics.ts';
import type { DeviceRegistry } from '../devices/registry.ts';
import { FrameError } from '../frame-error.ts';
import type { ChirpStackEvent, UplinkEvent } from '../network-servers/chirpstack/events.ts';
import { bestRx } from '../network-servers/chirpstack/events.ts';
import { parseChirpStackEvent } from '../network-servers/chirpstack/parse.ts';
import { parseTtsUplink } from '../network-servers/tts.ts';
import { TEXT_MAX } from '../store/column-limits.ts';
import type { DeviceRecord } from '../store/devices-table.ts';
import type { Batch } from './batch.ts';
import type { DeviceState } from './device-state.ts';
import { checkMetrics, checkText, type TimeWindow, validateEvent } from './validate.ts';

/** How a frame went, and the batch that holds its rows or its dead letter. */
export type FrameResult = ({ ok: true; readings: number } | { ok: false; error: FrameError }) & { batch: Batch };

/**
 * The database did not answer the lookup of a device missing from the registry's cache. That
 * is no fault of the frame: dead-lettering it would lose a good uplink to a database outage.
 */
export class LookupUnavailable extends Error {}

/** The limits a frame is held to (ingest settings). */
export interface FrameLimits {
  window: TimeWindow;
  /** Bytes of a dead letter's raw payload kept; its full size is stored beside them. */
  deadLetterBytes: number;
}

/**
 * Turns one MQTT message into rows of the open batch: parse, find the device (registry, or
 * zero-touch from ChirpStack's `model` tag), decode with its codec, normalise. A frame that
 * cannot be turned into rows becomes a dead letter in the same batch.
 *
 * Synchronous when the device is in the registry's cache - the hot path, thousands of times a
 * second - and a promise only when the database must be asked. The one thing thrown (or
 * rejected) is `LookupUnavailable`: then nothing was added to any batch, and the caller retries.
 */
export function processFrame(
  topic: string,
  payload: Uint8Array,
  registry: DeviceRegistry,
  openBatch: () => Batch,
  state: DeviceState,
  limits: FrameLimits,
): FrameResult | Promise<FrameResult> {
  const route = routeTopic(topic);
  let event: ChirpStackEvent;
  try {
    checkText(topic, 'topic', TEXT_MAX.topic);
    if (!route) throw new FrameError('unknown_event', `topic "${topic}" is not a ChirpStack or TTS event topic`);
    event = route.source === 'tts' ? parseTtsUplink(payload) : parseChirpStackEvent(route.event, payload);
    const topicEui = route.devEui?.toLowerCase();
    if (topicEui !== undefined && topicEui !== event.device.devEui)
      throw new FrameError('dev_eui_mismatch', `the topic names ${topicEui}, the payload ${event.device.devEui}`);
    validateEvent(event, limits.window, Date.now(), payload);
  } catch (err) {
    const devEui = route?.devEui?.toLowerCase() ?? null;
    return addDeadLetter(err, { topic, payload, devEui }, openBatch(), limits.deadLetterBytes);
  }
  const known = registry.get(event.device.devEui);
  if (known) return addRows(event, known, false, { topic, payload, openBatch, state, limits });
  return findOrAdopt(event, registry).then(
    (found) => addRows(event, found.device, found.adopted, { topic, payload, openBatch, state, limits }),
    (err: unknown) => {
      if (err instanceof LookupUnavailable) throw err;
      const devEui = event.device.devEui;
      return addDeadLetter(err, { topic, payload, devEui }, openBatch(), limits.deadLetterBytes);
    },
  );
}

interface FrameContext {
  topic: string;
  payload: Uint8Array;
  openBatch: () => Batch;
  state: DeviceState;
  limits: FrameLimits;
}

/** The rows of a parsed, valid event of `device`, or its dead letter, in the batch open now. */
function addRows(event: ChirpStackEvent, device: DeviceRecord, adopted: boolean, frame: FrameContext): FrameResult {
  // The batch open *now*: a flush may have swapped batches while a lookup awaited.
  const batch = frame.openBatch();
  try {
    if (adopted) batch.rows.newDevices.push(device);
    const readings = addEvent(event, device, batch, frame.state);
    batch.frames++;
    return { ok: true, readings, batch };
  } catch (err) {
    const { topic, payload } = frame;
    return addDeadLetter(err, { topic, payload, devEui: device.devEui }, batch, frame.limits.deadLetterBytes);
  }
}

/** Adds a frame to `batch` as a dead letter: its topic, the first `keepBytes` of its payload and its full size. */
export function addDeadLetter(
  err: unknown,
  frame: { topic: string; payload: Uint8Array; devEui: string | null },
  batch: Batch,
  keepBytes: number,
): FrameResult {
  const error = err instanceof FrameError ? err : new FrameError('invalid_event', (err as Error).message);
  const { topic, payload, devEui } = frame;
  batch.frames++;
  batch.rows.deadLetters.push({
    topic,
    payload: payload.subarray(0, keepBytes),
    payloadBytes: payload.length,
    reason: error.reason,
    detail: error.message,
    devEui,
  });
  return { ok: false, error, batch };
}

async function findOrAdopt(
  event: ChirpStackEvent,
  registry: DeviceRegistry,
): Promise<{ device: DeviceRecord; adopted: boolean }> {
  let known: DeviceRecord | undefined;
  try {
    known = await registry.resolve(event.device.devEui);
  } catch (err) {
    throw new LookupUnavailable(`device ${event.device.devEui} lookup failed: ${(err as Error).message}`);
  }
  if (known) return { device: known, adopted: false };
  // Frames of a new device that waited on the same lookup: the first one adopts it.
  const adoptedMeanwhile = registry.get(event.device.devEui);
  if (adoptedMeanwhile) return { device: adoptedMeanwhile, adopted: false };
  const model = event.device.tags.model;
  if (!model)
    throw new FrameError('unknown_device', `device ${event.device.devEui} is not registered and has no model tag`);
  if (!findCodec(model))
    throw new FrameError('unknown_model', `device ${event.device.devEui}: no codec for model "${model}"`);
  if (!registry.takeAdoption())
    throw new FrameError('adoption_limit', `device ${event.device.devEui}: too many new devices this hour`);
  const adopted: DeviceRecord = {
    devEui: event.device.devEui,
    model,
    name: event.device.deviceName,
    applicationId: event.device.applicationId,
    objectNumber: event.device.tags.object ?? null,
    settings: {},
  };
  registry.remember(adopted);
  return { device: adopted, adopted: true };
}

function addEvent(event: ChirpStackEvent, device: DeviceRecord, batch: Batch, state: DeviceState): number {
  const timeMs = event.time.getTime();
  switch (event.type) {
    case 'up':
      return addUplink(event, device, batch, state);
    case 'status': {
      const battery = event.batteryLevelUnavailable || event.externalPowerSource ? null : event.batteryLevel;
      state.status(device.devEui, timeMs, battery, event.margin);
      batch.rows.events.add(timeMs, device.devEui, 'status', {
        margin: event.margin,
        externalPowerSource: event.externalPowerSource,
        batteryLevel: battery,
      });
      if (battery === null) return 0;
      batch.addReadings(timeMs, device, [{ metric: 'battery', value: battery }]);
      return 1;
    }
    case 'join':
    case 'ack':
    case 'txack':
    case 'log':
    case 'location': {
      // Kept for history as they came, less what the row's own columns already say.
      const { type, time: _time, device: _device, ...detail } = event;
      batch.rows.events.add(timeMs, device.devEui, type, detail);
      return 0;
    }
  }
}

function addUplink(event: UplinkEvent, device: DeviceRecord, batch: Batch, state: DeviceState): number {
  const codec = findCodec(device.model);
  if (!codec) throw new FrameError('unknown_model', `device ${device.devEui}: no codec for model "${device.model}"`);
  const decoded = codec.decodeUplink({ fPort: event.fPort, bytes: event.data });
  if ('errors' in decoded) {
    throw new FrameError('decode_failed', `${device.model} fPort ${event.fPort}: ${decoded.errors.join('; ')}`);
  }
  const rx = bestRx(event.rxInfo);
  const timeMs = event.time.getTime();
  // Radio figures are stored once, with the uplink, not repeated as readings.
  const metrics: MetricValue[] = codec.toMetrics(decoded.data, device.settings);
  checkMetrics(metrics);
  batch.addUplink(
    device,
    {
      timeMs,
      fCnt: event.fCnt,
      fPort: event.fPort,
      dedupId: event.deduplicationId,
      devAddr: event.devAddr,
      dr: event.dr,
      frequency: event.frequency,
      rssi: rx?.rssi ?? null,
      snr: rx?.snr ?? null,
      gatewayId: rx?.gatewayId ?? null,
      gateways: event.rxInfo.length,
    },
    metrics,
  );
  const battery = metrics.find((m) => m.metric === 'battery')?.value ?? null;
  state.uplink(device.devEui, timeMs, event.fCnt, rx?.rssi ?? null, rx?.snr ?? null, battery);
  return metrics.length;
}
