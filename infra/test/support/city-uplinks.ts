import { findEncoder, type SimDevice, uplinkEvent } from '@city/firmware-sim';

/**
 * Uplinks of the city's air stations and water meters as ChirpStack publishes them (JSON), with
 * the firmware's own encoders: what the wall's air and outages views are drawn from.
 */
export const AIR_SENSOR = 'decentlab/dl-pm';
export const WATER_METER = 'axioma/qalcosonic-w1';

const RADIO = { gatewayId: '0016c001f153a14c', rssi: -80, snr: 7.5, frequency: 868_100_000, dr: 5, spreadingFactor: 7 };

function encodedUplink(model: string, device: SimDevice, fCnt: number, timeMs: number, values: object): Uint8Array {
  const encoder = findEncoder(model);
  if (!encoder) throw new Error(`no encoder for ${model}`);
  const data = encoder.encode(values);
  return uplinkEvent({ device, time: new Date(timeMs), fCnt, fPort: encoder.fPort, data, ...RADIO }, 'json');
}

/** An air station's particulates, every size class at `microgramsPerM3` (PM2.5 and PM10 set its EEA band). */
export function particulatesUplink(device: SimDevice, fCnt: number, timeMs: number, microgramsPerM3: number) {
  const mass = { value: microgramsPerM3 };
  const count = { value: 0 };
  return encodedUplink(AIR_SENSOR, device, fCnt, timeMs, {
    device_id: fCnt,
    pm1_0_mass_concentration: mass,
    pm2_5_mass_concentration: mass,
    pm4_mass_concentration: mass,
    pm10_mass_concentration: mass,
    typical_particle_size: { value: 500 },
    pm0_5_number_concentration: count,
    pm1_0_number_concentration: count,
    pm2_5_number_concentration: count,
    pm4_number_concentration: count,
    pm10_number_concentration: count,
  });
}

/** Axioma's status code for a burst (0xA0): the meter's burst flag, which the shipped rules raise `water_burst` on. */
const BURST = 0xa0;

/** A water meter's daily frame flagging a burst, its hourly consumptions all nought. */
export function burstUplink(device: SimDevice, fCnt: number, timeMs: number): Uint8Array {
  const deltas = Object.fromEntries(Array.from({ length: 23 }, (_, i) => [`delta_${i + 1}_m3`, 0]));
  return encodedUplink(WATER_METER, device, fCnt, timeMs, {
    ...deltas,
    timestamp_unix: Math.floor(timeMs / 1000),
    status: BURST,
    log_volume_m3: 1,
    history_multiplier: 0,
  });
}
