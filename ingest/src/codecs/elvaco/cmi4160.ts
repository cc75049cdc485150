import { elvacoCodec, HEAT_METER_METRICS } from './mbus.ts';

export const cmi4160 = elvacoCodec({
  model: 'elvaco/cmi4160',
  name: 'CMi4160 LoRaWAN module for Diehl Sharky 775 heat meters',
  class: 'meter',
  metrics: HEAT_METER_METRICS,
  names: { flowTemperature: 'flow_temperature', serial: 'serial' },
});
