/**
 * The city metric vocabulary: every normalised reading uses one of these names.
 * Ids are stable (they are stored in the database and named in alarm rules); the
 * `fiware` column names the FIWARE Smart Data Models attribute where one exists, so the
 * NGSI-LD view can map readings without a second table.
 */
export const METRICS = {
  battery: { unit: '%', meaning: 'Battery charge left', fiware: 'batteryLevel' },
  battery_voltage: { unit: 'V', meaning: 'Battery voltage', fiware: null },
  rssi: { unit: 'dBm', meaning: 'Received signal strength of the uplink (best gateway)', fiware: 'rssi' },
  snr: { unit: 'dB', meaning: 'Signal-to-noise ratio of the uplink (best gateway)', fiware: null },
  volume: {
    unit: 'm³',
    meaning: 'Cumulative water or heat-carrier volume index',
    fiware: 'cumulativeWaterConsumption',
  },
  energy: { unit: 'kWh', meaning: 'Cumulative energy index (heat or electricity)', fiware: 'totalActiveEnergyImport' },
  pulse_count: { unit: '1', meaning: 'Cumulative pulse counter of a pulse-output meter', fiware: null },
  flow: { unit: 'm³/h', meaning: 'Current flow rate', fiware: 'flow' },
  flow_temperature: { unit: '°C', meaning: 'Supply (flow) temperature of a heat meter', fiware: null },
  return_temperature: { unit: '°C', meaning: 'Return temperature of a heat meter', fiware: null },
  leak: { unit: 'bool', meaning: '1 when the meter reports a leak', fiware: 'leakage' },
  backflow: { unit: 'bool', meaning: '1 when the meter reports reverse flow', fiware: 'backflow' },
  burst: { unit: 'bool', meaning: '1 when the meter reports a pipe burst', fiware: 'burst' },
  tamper: { unit: 'bool', meaning: '1 when the device reports tampering or a meter error', fiware: 'tampered' },
  fill_level: { unit: '%', meaning: 'How full a bin or tank is (0 empty, 100 full)', fiware: 'fillingLevel' },
  distance: { unit: 'mm', meaning: 'Ultrasonic distance from sensor to surface', fiware: null },
  tilt: { unit: 'bool', meaning: '1 when the container or device is tilted', fiware: null },
  temperature: { unit: '°C', meaning: 'Air or container temperature', fiware: 'temperature' },
  humidity: { unit: '%', meaning: 'Relative humidity', fiware: 'relativeHumidity' },
  pressure: { unit: 'hPa', meaning: 'Atmospheric pressure', fiware: 'atmosphericPressure' },
  pm1: { unit: 'µg/m³', meaning: 'PM1.0 mass concentration', fiware: 'pm1' },
  pm25: { unit: 'µg/m³', meaning: 'PM2.5 mass concentration', fiware: 'pm25' },
  pm10: { unit: 'µg/m³', meaning: 'PM10 mass concentration', fiware: 'pm10' },
  no2: { unit: 'µg/m³', meaning: 'Nitrogen dioxide concentration', fiware: 'no2' },
  co2: { unit: 'ppm', meaning: 'Carbon dioxide concentration', fiware: 'co2' },
  tvoc: { unit: 'ppb', meaning: 'Total volatile organic compounds', fiware: 'volatileOrganicCompoundsTotal' },
  hcho: { unit: 'mg/m³', meaning: 'Formaldehyde concentration', fiware: null },
  noise: { unit: 'dB(A)', meaning: 'Equivalent sound level', fiware: 'LAeq' },
  illuminance: { unit: 'lx', meaning: 'Ambient light level', fiware: 'illuminance' },
  lamp_on: { unit: 'bool', meaning: '1 when the lamp or relay is switched on', fiware: 'powerState' },
  dim_level: { unit: '%', meaning: 'Lamp dimming level', fiware: 'illuminanceLevel' },
  voltage: { unit: 'V', meaning: 'Mains voltage at the controller', fiware: 'voltage' },
  current: { unit: 'A', meaning: 'Load current', fiware: 'intensity' },
  power: { unit: 'W', meaning: 'Active power drawn', fiware: 'activePower' },
  lamp_failure: { unit: 'bool', meaning: '1 when the controller reports a lamp or circuit fault', fiware: null },
  burning_hours: { unit: 'h', meaning: 'Cumulative lamp burning hours', fiware: 'powerOnHours' },
  motion: { unit: '1', meaning: 'Motion / presence count or activity level', fiware: 'peopleCount' },
  digital_input: { unit: 'bool', meaning: 'State of a digital input or output of an I/O controller', fiware: null },
  analog_input: {
    unit: '1',
    meaning: 'Analog input value of an I/O controller (mV or µA as configured)',
    fiware: null,
  },
} as const satisfies Record<string, { unit: string; meaning: string; fiware: string | null }>;

export type MetricName = keyof typeof METRICS;

export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}
