import { EAQI_LEVELS, type EaqiLevel, type EaqiPollutant } from '../contract/live.ts';

/**
 * The European Air Quality Index (EEA), as revised in 2024 to follow the WHO's 2021 guidelines
 * (ETC HE Report 2024/17; the index airindex.eea.europa.eu serves): the upper bound of bands 1-5
 * per pollutant, µg/m³; above the last is band 6, extremely poor. A value on a bound is in the
 * lower band. The index takes hourly concentrations; a station's newest value (sensors here
 * report every 5-10 minutes) stands in for its hour.
 */
export const EAQI_BANDS: Readonly<Record<EaqiPollutant, readonly number[]>> = {
  pm25: [5, 15, 50, 90, 140],
  pm10: [15, 45, 120, 195, 270],
  no2: [10, 25, 60, 100, 150],
  o3: [60, 100, 120, 160, 180],
  so2: [20, 40, 125, 190, 275],
};

/** 1 (good) ... 6 (extremely poor) for one pollutant's concentration. */
export function eaqiBand(pollutant: EaqiPollutant, value: number): number {
  const bounds = EAQI_BANDS[pollutant];
  for (let band = 0; band < bounds.length; band++) if (value <= (bounds[band] as number)) return band + 1;
  return bounds.length + 1;
}

export function eaqiLevel(band: number): EaqiLevel {
  return EAQI_LEVELS[band - 1] as EaqiLevel;
}
