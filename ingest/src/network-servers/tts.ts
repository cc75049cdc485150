import { FrameError } from '../frame-error.ts';
import type { UplinkEvent } from './chirpstack/events.ts';
import { arr, base64, eui, int, type JsonObject, num, obj, str, time } from './json-fields.ts';

/**
 * Parses a The Things Stack v3 uplink (`v3/{app}@{tenant}/devices/{device}/up`) into the
 * same uplink shape as ChirpStack's, so a city can run both network servers side by side.
 */
export function parseTtsUplink(payload: Uint8Array): UplinkEvent {
  let root: unknown;
  try {
    root = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch (err) {
    throw new FrameError('unparseable', `invalid JSON: ${(err as Error).message}`);
  }
  const e = obj(root, 'event');
  const ids = obj(e.end_device_ids, 'end_device_ids');
  const up = obj(e.uplink_message, 'uplink_message');
  if (Object.keys(up).length === 0) throw new FrameError('invalid_event', 'uplink_message: missing');
  const settings = obj(up.settings, 'uplink_message.settings');
  const correlation = arr(e, 'correlation_ids');
  const version = obj(up.version_ids, 'uplink_message.version_ids');
  const model = str(version, 'model_id');
  const brand = str(version, 'brand_id');
  return {
    type: 'up',
    time: time(up, 'received_at', 'uplink_message.received_at'),
    device: {
      devEui: eui(str(ids, 'dev_eui', 'end_device_ids.dev_eui'), 'end_device_ids.dev_eui'),
      applicationId: str(obj(ids.application_ids, 'end_device_ids.application_ids'), 'application_id'),
      deviceName: str(ids, 'device_id', 'end_device_ids.device_id'),
      deviceProfileName: '',
      // TTS names the device repository model in version_ids; it maps to our model ids directly.
      tags: brand && model ? { model: `${brand}/${model}` } : {},
    },
    deduplicationId: typeof correlation[0] === 'string' ? correlation[0] : '',
    devAddr: str(ids, 'dev_addr', 'end_device_ids.dev_addr').toLowerCase(),
    fCnt: int(up, 'f_cnt', 'uplink_message.f_cnt'),
    fPort: int(up, 'f_port', 'uplink_message.f_port'),
    dr: 0,
    adr: false,
    confirmed: up.confirmed === true,
    data: base64(up, 'frm_payload', 'uplink_message.frm_payload'),
    rxInfo: arr(up, 'rx_metadata', 'uplink_message.rx_metadata').map((value, i) => {
      const rx: JsonObject = obj(value, `rx_metadata[${i}]`);
      return {
        gatewayId: str(obj(rx.gateway_ids, 'gateway_ids'), 'eui').toLowerCase(),
        rssi: num(rx, 'rssi', `rx_metadata[${i}].rssi`),
        snr: num(rx, 'snr', `rx_metadata[${i}].snr`),
      };
    }),
    frequency: num(settings, 'frequency', 'uplink_message.settings.frequency'),
  };
}
