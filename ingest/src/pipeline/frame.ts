import type { ChirpStackEvent, UplinkEvent } from '../chirpstack/events.ts';
import { bestRx } from '../chirpstack/events.ts';
import { parseChirpStackEvent } from '../chirpstack/parse.ts';
import { parseTtsUplink } from '../chirpstack/tts.ts';
import { findCodec } from '../codecs/index.ts';
import type { MetricValue } from '../contract/codec.ts';
import { routeTopic } from '../contract/topics.ts';
import type { DeviceRecord, DeviceRegistry } from '../devices/registry.ts';
import { FrameError } from '../errors.ts';
import type { Batch } from './batch.ts';
import type { DeviceState } from './device-state.ts';

export type FrameResult = { ok: true; readings: number } | { ok: false; error: FrameError };

/**
 * The database did not answer the lookup of a device missing from the registry's cache. That
 * is no fault of the frame: dead-lettering it would lose a good uplink to a database outage.
 */
export class LookupUnavailable extends Error {}

/**
 * Turns one MQTT message into rows of `batch`: parse, find the device (registry, or zero-touch
 * from ChirpStack's `model` tag), decode with its codec, normalise. A frame that cannot be
 * turned into rows becomes a dead letter in the same batch. The one thing thrown is
 * `LookupUnavailable`: then nothing was added to any batch, and the caller retries the frame.
 */
export async function processFrame(
  topic: string,
  payload: Uint8Array,
  registry: DeviceRegistry,
  openBatch: () => Batch,
  state: DeviceState,
): Promise<FrameResult> {
  let devEui: string | null = null;
  try {
    const route = routeTopic(topic);
    if (!route) throw new FrameError('unknown_event', `topic "${topic}" is not a ChirpStack or TTS event topic`);
    devEui = route.devEui?.toLowerCase() ?? null;
    const event = route.source === 'tts' ? parseTtsUplink(payload) : parseChirpStackEvent(route.event, payload);
    devEui = event.device.devEui;
    const known = registry.get(devEui);
    const found = known ? { device: known, adopted: false } : await findOrAdopt(event, registry);
    // Rows go to the batch open *now*: a flush may have swapped batches while the lookup awaited.
    const batch = openBatch();
    if (found.adopted) batch.newDevices.push(found.device);
    const readings = addEvent(event, found.device, batch, state);
    batch.frames++;
    return { ok: true, readings };
  } catch (err) {
    if (err instanceof LookupUnavailable) throw err;
    const error = err instanceof FrameError ? err : new FrameError('invalid_event', (err as Error).message);
    const batch = openBatch();
    batch.frames++;
    batch.deadLetters.push({ topic, payload, reason: error.reason, detail: error.message, devEui });
    return { ok: false, error };
  }
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
  const model = event.device.tags.model;
  if (!model)
    throw new FrameError('unknown_device', `device ${event.device.devEui} is not registered and has no model tag`);
  if (!findCodec(model))
    throw new FrameError('unknown_model', `device ${event.device.devEui}: no codec for model "${model}"`);
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
      batch.addEvent(timeMs, device.devEui, 'status', {
        margin: event.margin,
        externalPowerSource: event.externalPowerSource,
        batteryLevel: battery,
      });
      if (battery === null) return 0;
      batch.addReadings(timeMs, device, [{ metric: 'battery', value: battery }]);
      return 1;
    }
    case 'join':
      batch.addEvent(timeMs, device.devEui, 'join', { devAddr: event.devAddr });
      return 0;
    case 'ack':
      batch.addEvent(timeMs, device.devEui, 'ack', {
        queueItemId: event.queueItemId,
        acknowledged: event.acknowledged,
        fCntDown: event.fCntDown,
      });
      return 0;
    case 'txack':
      batch.addEvent(timeMs, device.devEui, 'txack', {
        queueItemId: event.queueItemId,
        fCntDown: event.fCntDown,
        gatewayId: event.gatewayId,
      });
      return 0;
    case 'log':
      batch.addEvent(timeMs, device.devEui, 'log', {
        level: event.level,
        code: event.code,
        description: event.description,
        context: event.context,
      });
      return 0;
    case 'location':
      batch.addEvent(timeMs, device.devEui, 'location', {
        latitude: event.latitude,
        longitude: event.longitude,
        altitude: event.altitude,
        source: event.source,
        accuracy: event.accuracy,
      });
      return 0;
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
  const metrics: MetricValue[] = codec.toMetrics(decoded.data, device.settings);
  if (rx) metrics.push({ metric: 'rssi', value: rx.rssi }, { metric: 'snr', value: rx.snr });
  batch.uplinks.push({
    timeMs,
    devEui: device.devEui,
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
  });
  batch.addReadings(timeMs, device, metrics);
  const battery = metrics.find((m) => m.metric === 'battery')?.value ?? null;
  state.uplink(device.devEui, timeMs, event.fCnt, rx?.rssi ?? null, rx?.snr ?? null, battery);
  return metrics.length;
}
