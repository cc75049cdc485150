/**
 * Sunrise and sunset by the standard sunrise equation (the NOAA / Meeus simplification: mean
 * anomaly, equation of centre, ecliptic longitude, solar transit, declination, hour angle).
 * Good to a minute or two at mid latitudes, which is all a photocell needs.
 */

const J2000 = 2451545;
const DAY_MS = 86_400_000;
const UNIX_EPOCH_JD = 2440587.5;
const rad = Math.PI / 180;

/** Altitude of the sun's centre at sunrise/sunset: refraction and the solar disc's radius. */
export const SUNRISE_ALTITUDE = -0.833;

export interface SunTimes {
  /** ms since the epoch; NaN on a polar day or night (never at the city's latitude) */
  rise: number;
  set: number;
}

/**
 * When the sun crosses `altitude` degrees on the UTC day containing `ms`, for a site at
 * `lat`/`lon` degrees (east positive).
 */
export function sunTimes(ms: number, lat: number, lon: number, altitude = SUNRISE_ALTITUDE): SunTimes {
  const dayNoonJd = Math.floor(ms / DAY_MS) + UNIX_EPOCH_JD + 0.5;
  const n = Math.round(dayNoonJd - J2000 + 0.0008);
  const meanSolarNoon = n - lon / 360;
  const m = (357.5291 + 0.98560028 * meanSolarNoon) % 360;
  const centre = 1.9148 * Math.sin(m * rad) + 0.02 * Math.sin(2 * m * rad) + 0.0003 * Math.sin(3 * m * rad);
  const lambda = (m + centre + 180 + 102.9372) % 360;
  const transit = J2000 + meanSolarNoon + 0.0053 * Math.sin(m * rad) - 0.0069 * Math.sin(2 * lambda * rad);
  const sinDecl = Math.sin(lambda * rad) * Math.sin(23.4397 * rad);
  const cosDecl = Math.cos(Math.asin(sinDecl));
  const cosHourAngle = (Math.sin(altitude * rad) - Math.sin(lat * rad) * sinDecl) / (Math.cos(lat * rad) * cosDecl);
  const hourAngle = Math.acos(cosHourAngle) / rad;
  const toMs = (jd: number) => (jd - UNIX_EPOCH_JD) * DAY_MS;
  return { rise: toMs(transit - hourAngle / 360), set: toMs(transit + hourAngle / 360) };
}
