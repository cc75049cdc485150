import { M_PER_DEG_LAT, M_PER_DEG_LON } from './city/geometry.ts';
import type { CityObject } from './city/index.ts';

/** A gateway on a rooftop; ids follow the EUI-64 of a common gateway maker's range. */
export interface Gateway {
  id: string;
  lon: number;
  lat: number;
}

/** How a device is heard: by its nearest gateway, at the data rate ADR settles on. */
export interface Link {
  gatewayId: string;
  rssi: number;
  snr: number;
  spreadingFactor: number;
  /** EU868 data rate: DR5 is SF7 ... DR0 is SF12 */
  dr: number;
}

/** Gateways on a grid of about 4 km, the spacing an urban LoRaWAN network plans for. */
const GATEWAY_SPACING_M = 4000;
/** 14 dBm out, urban path loss about 120 dB at 1 km rising 35 dB a decade (Hata-like at 868 MHz). */
const TX_DBM = 14;
/** A sensor in a meter pit or under a manhole cover loses another 15-20 dB through the lid. */
const UNDERGROUND_DB = 18;
/** Noise floor of a 125 kHz channel with a 6 dB noise figure. */
const NOISE_FLOOR_DBM = -117;
/** Lowest SNR each spreading factor demodulates, SF7 first; ADR keeps a 5 dB margin. */
const SF_SNR = [-7.5, -10, -12.5, -15, -17.5, -20];

export function gatewayGrid(objects: readonly CityObject[]): Gateway[] {
  if (objects.length === 0) return [];
  const lons = objects.map((o) => o.lon);
  const lats = objects.map((o) => o.lat);
  const [west, east, south, north] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const cols = Math.max(1, Math.round(((east - west) * M_PER_DEG_LON) / GATEWAY_SPACING_M));
  const rows = Math.max(1, Math.round(((north - south) * M_PER_DEG_LAT) / GATEWAY_SPACING_M));
  const gateways: Gateway[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      gateways.push({
        id: `0016c001f1${gateways.length.toString(16).padStart(6, '0')}`,
        lon: west + ((c + 0.5) * (east - west)) / cols,
        lat: south + ((r + 0.5) * (north - south)) / rows,
      });
    }
  }
  return gateways;
}

export function linkTo(object: CityObject, gateways: readonly Gateway[]): Link {
  let best = { id: '0016c001f1000000', distanceM: 1000 };
  for (const g of gateways) {
    const distanceM = Math.hypot((g.lon - object.lon) * M_PER_DEG_LON, (g.lat - object.lat) * M_PER_DEG_LAT);
    if (g === gateways[0] || distanceM < best.distanceM) best = { id: g.id, distanceM };
  }
  const underground = object.type === 'manhole' || object.type === 'meter_point' ? UNDERGROUND_DB : 0;
  const pathLoss = 120 + 35 * Math.log10(Math.max(0.05, best.distanceM / 1000)) + underground;
  const rssi = Math.round(Math.max(-137, Math.min(-30, TX_DBM - pathLoss)));
  const snr = Math.round(Math.max(-20, Math.min(10, rssi - NOISE_FLOOR_DBM)) * 10) / 10;
  const sfIndex = SF_SNR.findIndex((needed) => snr >= needed + 5);
  const spreadingFactor = 7 + (sfIndex === -1 ? SF_SNR.length - 1 : sfIndex);
  return { gatewayId: best.id, rssi, snr, spreadingFactor, dr: 12 - spreadingFactor };
}
