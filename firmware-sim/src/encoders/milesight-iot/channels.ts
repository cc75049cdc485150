import { scaled, tagged, u8 } from '../fields.ts';

/** Milesight sends every uplink on this port: `[channel][type][value]` records, little-endian. */
export const MILESIGHT_FPORT = 85;

export const battery = tagged([0x01, 0x75], u8);

/** Relative humidity in 0.5 % steps. */
export const humidityHalfPercent = scaled(2, u8);
